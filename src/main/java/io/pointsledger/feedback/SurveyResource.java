package io.pointsledger.feedback;

import io.pointsledger.communication.Announcement;
import io.pointsledger.communication.AnnouncementResource;
import io.pointsledger.platform.IdParameter;
import io.pointsledger.platform.IdempotencyHeaders;
import io.pointsledger.partners.CurrentCaller;
import io.pointsledger.partners.RequiresScope;
import io.pointsledger.partners.Scope;
import io.pointsledger.platform.OpenApiContract;
import io.smallrye.mutiny.Uni;
import jakarta.validation.Valid;
import jakarta.validation.constraints.NotNull;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import java.net.URI;
import java.util.UUID;
import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.enums.SchemaType;
import org.eclipse.microprofile.openapi.annotations.extensions.Extension;
import org.eclipse.microprofile.openapi.annotations.headers.Header;
import org.eclipse.microprofile.openapi.annotations.media.Content;
import org.eclipse.microprofile.openapi.annotations.media.Schema;
import org.eclipse.microprofile.openapi.annotations.parameters.Parameter;
import org.eclipse.microprofile.openapi.annotations.responses.APIResponse;
import org.jboss.resteasy.reactive.RestHeader;
import org.jboss.resteasy.reactive.RestPath;
import org.jboss.resteasy.reactive.RestQuery;

/** Surveys, their reports and their text answers, for the program's operators. */
@Path("/v1/admin/surveys")
@Produces(MediaType.APPLICATION_JSON)
public class SurveyResource {

    private final SurveyService surveys;
    private final CurrentCaller caller;

    SurveyResource(SurveyService surveys, CurrentCaller caller) {
        this.surveys = surveys;
        this.caller = caller;
    }

    @POST
    @Consumes(MediaType.APPLICATION_JSON)
    @Operation(operationId = "createSurvey", summary = "Open a survey",
            description = "Scope: admin. Audited. A PURCHASE survey is answered about a purchase, a RESERVATION_ATTENDED one about "
                    + "an attended reservation, a SEGMENT one once by each member its segment admits; each answer earns "
                    + "rewardPoints, once.")
    @APIResponse(responseCode = "201", description = "Open", headers = @Header(name = "Location", required = true,
            description = "The survey", schema = @Schema(type = SchemaType.STRING, format = "uri-reference")),
            content = @Content(mediaType = MediaType.APPLICATION_JSON, schema = @Schema(implementation = Survey.class)))
    @Extension(name = OpenApiContract.ERROR_CODES, value = "SEGMENT_NOT_FOUND")
    @RequiresScope(Scope.ADMIN)
    public Uni<Response> create(@NotNull @Valid SurveyRequest request) {
        return surveys.create(caller.get(), request).map(survey -> Response.created(URI.create("/v1/admin/surveys/" + survey.surveyId()))
                .entity(survey).build());
    }

    @GET
    @Operation(operationId = "listSurveys", summary = "Surveys, newest first", description = "Scope: admin.")
    @APIResponse(responseCode = "200", description = "One page of surveys")
    @RequiresScope(Scope.ADMIN)
    public Uni<SurveyPage> page(
            @Parameter(description = "The nextCursor of the previous page") @RestQuery String cursor,
            @Parameter(description = "Surveys per page", schema = @Schema(type = SchemaType.INTEGER, minimum = "1",
                    maximum = "" + FeedbackConfig.PAGE_SIZE_MAX, defaultValue = "50")) @RestQuery String limit) {
        return surveys.page(cursor, limit);
    }

    @GET
    @Path("/{surveyId}")
    @Operation(operationId = "findSurvey", summary = "A survey", description = "Scope: admin.")
    @APIResponse(responseCode = "200", description = "The survey")
    @Extension(name = OpenApiContract.ERROR_CODES, value = "SURVEY_NOT_FOUND")
    @RequiresScope(Scope.ADMIN)
    public Uni<Survey> find(@Parameter(description = "As opened", schema = @Schema(type = SchemaType.STRING, format = "uuid"))
            @RestPath UUID surveyId) {
        return surveys.find(surveyId);
    }

    @POST
    @Path("/{surveyId}/close")
    @Operation(operationId = "closeSurvey", summary = "Close a survey: it takes no more answers",
            description = "Scope: admin. Audited. Its answers and reports stay. Takes no body.")
    @APIResponse(responseCode = "200", description = "Closed")
    @Extension(name = OpenApiContract.ERROR_CODES, value = "SURVEY_NOT_FOUND")
    @RequiresScope(Scope.ADMIN)
    public Uni<Survey> close(@Parameter(description = "As opened", schema = @Schema(type = SchemaType.STRING, format = "uuid"))
            @RestPath UUID surveyId) {
        return surveys.close(caller.get(), surveyId);
    }

    @POST
    @Path("/{surveyId}/invitations")
    @Consumes(MediaType.APPLICATION_JSON)
    @Operation(operationId = "inviteSurveySegment", summary = "Invite a segment's members to its survey",
            description = "Scope: admin. Audited (as an announcement). A SEGMENT survey only: an announcement to the survey's "
                    + "segment, planned and sent as every announcement is (one message per member on their preferred consented "
                    + "channel, after their quiet hours), in the words given or the program's own. Idempotent: a retry with the "
                    + "same Idempotency-Key answers the same announcement (Idempotent-Replayed: true) while the survey is open; another "
                    + "key invites again (a reminder). Follow the delivery report at the Location.")
    @APIResponse(responseCode = "202", description = "The announcement made; planning", headers = {
            @Header(name = "Location", required = true, description = "The announcement, for its report",
                    schema = @Schema(type = SchemaType.STRING, format = "uri-reference")),
            @Header(name = IdempotencyHeaders.REPLAYED, description = "true when this answers a retry",
                    schema = @Schema(type = SchemaType.STRING))},
            content = @Content(mediaType = MediaType.APPLICATION_JSON, schema = @Schema(implementation = Announcement.class)))
    @Extension(name = OpenApiContract.ERROR_CODES, value = "SURVEY_NOT_FOUND, SURVEY_CLOSED, SEGMENT_NOT_FOUND")
    @RequiresScope(Scope.ADMIN)
    public Uni<Response> invite(
            @Parameter(description = "As opened", schema = @Schema(type = SchemaType.STRING, format = "uuid")) @RestPath UUID surveyId,
            @RestHeader(IdempotencyHeaders.KEY) String idempotencyKey, @NotNull @Valid SurveyInvitationRequest request) {
        return surveys.inviteSegment(caller.get(), surveyId, idempotencyKey, request).map(AnnouncementResource::accepted);
    }

    @GET
    @Path("/{surveyId}/report")
    @Operation(operationId = "findSurveyReport", summary = "A survey's answers over a period: distributions, CSAT, NPS, response rate",
            description = "Scope: admin. Answers about targets of [from, to) (purchases made, reservations started, segment "
                    + "answers given then), at one store, through one channel, by members of one "
                    + "segment (each when asked). Each rating question's CSAT (share of 4 and 5, Wilson 95 % interval), each NPS "
                    + "question's score (promoters 9-10 less detractors 0-6, 95 % interval), and the response rate against the "
                    + "purchases, attended reservations or segment members the survey follows.")
    @APIResponse(responseCode = "200", description = "The report")
    @Extension(name = OpenApiContract.ERROR_CODES, value = "SURVEY_NOT_FOUND, SEGMENT_NOT_FOUND")
    @RequiresScope(Scope.ADMIN)
    public Uni<SurveyReport> report(
            @Parameter(description = "As opened", schema = @Schema(type = SchemaType.STRING, format = "uuid")) @RestPath UUID surveyId,
            @Parameter(description = "Start, included", required = true, schema = @Schema(type = SchemaType.STRING, format = "date-time"))
            @RestQuery String from,
            @Parameter(description = "End, excluded", required = true, schema = @Schema(type = SchemaType.STRING, format = "date-time"))
            @RestQuery String to,
            @Parameter(description = "Only answers about this store's targets") @RestQuery String store,
            @Parameter(description = "Only answers about purchases through this channel") @RestQuery String channel,
            @Parameter(description = "Only answers of members this segment admits now",
                    schema = @Schema(type = SchemaType.STRING, format = "uuid")) @RestQuery String segmentId) {
        return surveys.report(surveyId, from, to, text("store", store), text("channel", channel), IdParameter.parse("segmentId", segmentId));
    }

    @GET
    @Path("/{surveyId}/text-answers")
    @Operation(operationId = "listSurveyTextAnswers", summary = "The answers to a text question, newest first, optionally searched",
            description = "Scope: admin. search: answers containing it, in any case.")
    @APIResponse(responseCode = "200", description = "One page of answers")
    @Extension(name = OpenApiContract.ERROR_CODES, value = "SURVEY_NOT_FOUND")
    @RequiresScope(Scope.ADMIN)
    public Uni<TextAnswerPage> textAnswers(
            @Parameter(description = "As opened", schema = @Schema(type = SchemaType.STRING, format = "uuid")) @RestPath UUID surveyId,
            @Parameter(description = "The id of a TEXT question", required = true) @RestQuery String question,
            @Parameter(description = "Text the answers contain") @RestQuery String search,
            @Parameter(description = "The nextCursor of the previous page") @RestQuery String cursor,
            @Parameter(description = "Answers per page", schema = @Schema(type = SchemaType.INTEGER, minimum = "1",
                    maximum = "" + FeedbackConfig.PAGE_SIZE_MAX, defaultValue = "50")) @RestQuery String limit) {
        return surveys.textAnswers(surveyId, question, search, cursor, limit);
    }

    /** A filter given as text: null when absent; printable, at most 64 characters. */
    private static String text(String name, String value) {
        return io.pointsledger.platform.PrintableText.filter(name, value, 64);
    }
}
