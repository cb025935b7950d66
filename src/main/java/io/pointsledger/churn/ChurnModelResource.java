package io.pointsledger.churn;

import com.fasterxml.jackson.core.JsonProcessingException;
import io.pointsledger.partners.RequiresScope;
import io.pointsledger.partners.Scope;
import io.pointsledger.platform.ErrorCode;
import io.pointsledger.platform.OpenApiContract;
import io.pointsledger.platform.OptionalBody;
import io.pointsledger.platform.ProblemException;
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
import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.enums.SchemaType;
import org.eclipse.microprofile.openapi.annotations.extensions.Extension;
import org.eclipse.microprofile.openapi.annotations.headers.Header;
import org.eclipse.microprofile.openapi.annotations.media.Content;
import org.eclipse.microprofile.openapi.annotations.media.Schema;
import org.eclipse.microprofile.openapi.annotations.parameters.Parameter;
import org.eclipse.microprofile.openapi.annotations.parameters.RequestBody;
import org.eclipse.microprofile.openapi.annotations.responses.APIResponse;
import org.jboss.resteasy.reactive.RestPath;
import org.jboss.resteasy.reactive.RestQuery;

/** Churn models: trained on demand, versioned, and evaluated against the past, for the program's operators. */
@Path("/v1/admin/churn-models")
@Produces(MediaType.APPLICATION_JSON)
public class ChurnModelResource {

    private final ChurnService churn;
    private final OptionalBody optionalBody;

    ChurnModelResource(ChurnService churn, OptionalBody optionalBody) {
        this.churn = churn;
        this.optionalBody = optionalBody;
    }

    @POST
    @Consumes(MediaType.WILDCARD)
    @Operation(operationId = "trainChurnModel", summary = "Train a new churn model version",
            description = "Scope: admin. Learns from members as they stood on a few days whose horizon has passed before asOf, "
                    + "labelled by whether they bought within it; the new version scores from then on. The body is optional.")
    @APIResponse(responseCode = "201", description = "Trained", headers = @Header(name = "Location", required = true,
            description = "The new model", schema = @Schema(type = SchemaType.STRING, format = "uri-reference")),
            content = @Content(mediaType = MediaType.APPLICATION_JSON, schema = @Schema(implementation = ChurnModelView.class)))
    @Extension(name = OpenApiContract.ERROR_CODES, value = "CHURN_TRAINING_DATA_INSUFFICIENT, CHURN_TRAINING_IN_PROGRESS")
    @RequiresScope(Scope.ADMIN)
    public Uni<Response> train(@RequestBody(required = false, content = @Content(mediaType = MediaType.APPLICATION_JSON,
            schema = @Schema(implementation = ChurnTrainingRequest.class))) String body) throws JsonProcessingException {
        ChurnTrainingRequest request = optionalBody.readValue(body, ChurnTrainingRequest.class, () -> new ChurnTrainingRequest(null));
        return churn.train(request.asOf()).map(model -> Response.created(URI.create("/v1/admin/churn-models/" + model.version()))
                .entity(ChurnModelView.of(model)).build());
    }

    @GET
    @Operation(operationId = "listChurnModels", summary = "Churn models, newest first", description = "Scope: admin.")
    @APIResponse(responseCode = "200", description = "One page of models")
    @RequiresScope(Scope.ADMIN)
    public Uni<ChurnModelPage> models(
            @Parameter(description = "The nextCursor of the previous page") @RestQuery String cursor,
            @Parameter(description = "Models per page", schema = @Schema(type = SchemaType.INTEGER, minimum = "1",
                    maximum = "" + ChurnConfig.PAGE_SIZE_MAX, defaultValue = "20")) @RestQuery String limit) {
        return churn.models(cursor, limit);
    }

    @GET
    @Path("/{version}")
    @Operation(operationId = "findChurnModel", summary = "A churn model version", description = "Scope: admin.")
    @APIResponse(responseCode = "200", description = "The model")
    @Extension(name = OpenApiContract.ERROR_CODES, value = "CHURN_MODEL_NOT_FOUND")
    @RequiresScope(Scope.ADMIN)
    public Uni<ChurnModelView> model(@Parameter(description = "As trained", schema = @Schema(type = SchemaType.INTEGER, minimum = "1"))
            @RestPath String version) {
        return churn.model(version(version)).map(ChurnModelView::of);
    }

    @POST
    @Path("/evaluations")
    @Consumes(MediaType.APPLICATION_JSON)
    @Operation(operationId = "evaluateChurnModel", summary = "How well churn was foreseen at a past cutoff",
            description = "Scope: admin. Trains on what was known at the cutoff, scores the members active at it (a purchase in the year before), "
                    + "and compares with who bought in the horizon after it: ROC AUC of the model and of days since the last "
                    + "purchase. Stores nothing.")
    @APIResponse(responseCode = "200", description = "The evaluation")
    @Extension(name = OpenApiContract.ERROR_CODES, value = "CHURN_TRAINING_DATA_INSUFFICIENT, CHURN_TRAINING_IN_PROGRESS")
    @RequiresScope(Scope.ADMIN)
    public Uni<ChurnEvaluation> evaluate(@NotNull @Valid ChurnEvaluationRequest request) {
        return churn.evaluate(request.cutoff());
    }

    /** A version that is not a positive whole number names no model. */
    private static long version(String text) {
        try {
            long version = Long.parseLong(text);
            if (version > 0) {
                return version;
            }
        } catch (NumberFormatException e) {
            // Falls through to the refusal.
        }
        throw new ProblemException(ErrorCode.CHURN_MODEL_NOT_FOUND, "No churn model version " + text);
    }
}
