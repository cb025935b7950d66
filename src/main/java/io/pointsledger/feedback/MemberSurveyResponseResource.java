package io.pointsledger.feedback;

import io.pointsledger.partners.CurrentCaller;
import io.pointsledger.partners.RequiresScope;
import io.pointsledger.partners.Scope;
import io.pointsledger.platform.IdempotencyHeaders;
import io.pointsledger.platform.OpenApiContract;
import io.smallrye.mutiny.Uni;
import jakarta.validation.Valid;
import jakarta.validation.constraints.NotNull;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import java.util.UUID;
import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.enums.SchemaType;
import org.eclipse.microprofile.openapi.annotations.extensions.Extension;
import org.eclipse.microprofile.openapi.annotations.headers.Header;
import org.eclipse.microprofile.openapi.annotations.media.Content;
import org.eclipse.microprofile.openapi.annotations.media.Schema;
import org.eclipse.microprofile.openapi.annotations.parameters.Parameter;
import org.eclipse.microprofile.openapi.annotations.responses.APIResponse;
import org.jboss.resteasy.reactive.RestPath;

/** Members' answers to surveys, from apps and tills. */
@Path("/v1/members/{memberId}/survey-responses")
@Produces(MediaType.APPLICATION_JSON)
public class MemberSurveyResponseResource {

    private final SurveyService surveys;
    private final CurrentCaller caller;

    MemberSurveyResponseResource(SurveyService surveys, CurrentCaller caller) {
        this.surveys = surveys;
        this.caller = caller;
    }

    @POST
    @Consumes(MediaType.APPLICATION_JSON)
    @Operation(operationId = "answerSurvey", summary = "Answer a survey about a purchase, an attended reservation, or as a segment's member",
            description = "Scope: earn. One answer per member, survey and target: the same answer again answers what was stored "
                    + "(Idempotent-Replayed: true), another is SURVEY_ALREADY_ANSWERED. A purchase is answered about at its own "
                    + "partner's till (an administrator: any), since the survey opened, within 30 days, and not returned. The "
                    + "survey's points are paid once, as an ADJUSTMENT whose key is derived from the survey and the target.")
    @APIResponse(responseCode = "201", description = "Answered", headers = @Header(name = IdempotencyHeaders.REPLAYED,
            description = "true when this answers a retry", schema = @Schema(type = SchemaType.STRING)),
            content = @Content(mediaType = MediaType.APPLICATION_JSON, schema = @Schema(implementation = SurveyResponse.class)))
    @Extension(name = OpenApiContract.ERROR_CODES, value = "SURVEY_NOT_FOUND, SURVEY_CLOSED, MEMBER_NOT_FOUND, SURVEY_TARGET_NOT_FOUND, "
            + "SURVEY_TARGET_NOT_ELIGIBLE, SURVEY_ALREADY_ANSWERED")
    @RequiresScope(Scope.EARN)
    public Uni<Response> answer(
            @Parameter(description = "As enrolled", schema = @Schema(type = SchemaType.STRING, format = "uuid")) @RestPath UUID memberId,
            @NotNull @Valid ResponseRequest request) {
        return surveys.respond(caller.get(), memberId, request).map(answered -> {
            Response.ResponseBuilder response = Response.status(Response.Status.CREATED).entity(answered.response());
            if (answered.replayed()) {
                response.header(IdempotencyHeaders.REPLAYED, "true");
            }
            return response.build();
        });
    }
}
