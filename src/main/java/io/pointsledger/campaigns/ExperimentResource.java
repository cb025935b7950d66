package io.pointsledger.campaigns;

import io.pointsledger.partners.RequiresScope;
import io.pointsledger.partners.Scope;
import io.pointsledger.platform.OpenApiContract;
import io.smallrye.mutiny.Uni;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;
import java.util.UUID;
import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.enums.SchemaType;
import org.eclipse.microprofile.openapi.annotations.extensions.Extension;
import org.eclipse.microprofile.openapi.annotations.media.Schema;
import org.eclipse.microprofile.openapi.annotations.parameters.Parameter;
import org.eclipse.microprofile.openapi.annotations.responses.APIResponse;
import org.jboss.resteasy.reactive.RestPath;

/** A/B tests: campaigns run with variants, and how their variants compare. An experiment's id is its campaign's. */
@Path("/v1/admin/experiments/{campaignId}")
@Produces(MediaType.APPLICATION_JSON)
public class ExperimentResource {

    private final ExperimentReports reports;

    ExperimentResource(ExperimentReports reports) {
        this.reports = reports;
    }

    @GET
    @Path("/report")
    @Operation(operationId = "reportExperiment", summary = "How a campaign's variants compare so far",
            description = "Scope: admin. Per variant: members exposed, redemption rate, spend per member, bonus and "
                    + "incremental points per member, and the uplift over the control with a 95 % confidence interval.")
    @APIResponse(responseCode = "200", description = "The report, as of now")
    @Extension(name = OpenApiContract.ERROR_CODES, value = "CAMPAIGN_NOT_FOUND, EXPERIMENT_NOT_FOUND")
    @RequiresScope(Scope.ADMIN)
    public Uni<ExperimentReport> report(@Parameter(description = "The campaign run as the test",
            schema = @Schema(type = SchemaType.STRING, format = "uuid")) @RestPath UUID campaignId) {
        return reports.report(campaignId);
    }
}
