package io.pointsledger.churn;

import io.pointsledger.partners.RequiresScope;
import io.pointsledger.partners.Scope;
import io.pointsledger.platform.OpenApiContract;
import io.pointsledger.platform.QueryDays;
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
import org.jboss.resteasy.reactive.RestQuery;

/** A member's churn risk, for the program's operators. */
@Path("/v1/members/{memberId}/churn-risk")
@Produces(MediaType.APPLICATION_JSON)
public class MemberChurnResource {

    private final ChurnService churn;

    MemberChurnResource(ChurnService churn) {
        this.churn = churn;
    }

    @GET
    @Operation(operationId = "findChurnRisk", summary = "A member's churn risk as of a day",
            description = "Scope: admin. The probability, by the newest model, that the member buys nothing in the horizon "
                    + "(90 days by default) after the day, from their purchases before it. risk is null for a member "
                    + "with no purchase before the day.")
    @APIResponse(responseCode = "200", description = "The risk")
    @Extension(name = OpenApiContract.ERROR_CODES, value = "MEMBER_NOT_FOUND, CHURN_MODEL_MISSING")
    @RequiresScope(Scope.ADMIN)
    public Uni<ChurnRisk> risk(
            @Parameter(description = "As enrolled", schema = @Schema(type = SchemaType.STRING, format = "uuid")) @RestPath UUID memberId,
            @Parameter(description = "The day (program time zone) to judge as of; default today",
                    schema = @Schema(type = SchemaType.STRING, format = "date")) @RestQuery String asOf) {
        return churn.risk(memberId, QueryDays.parse("asOf", asOf));
    }
}
