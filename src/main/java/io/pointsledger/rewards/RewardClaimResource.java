package io.pointsledger.rewards;

import io.pointsledger.partners.CurrentCaller;
import io.pointsledger.partners.RequiresScope;
import io.pointsledger.partners.Scope;
import io.pointsledger.platform.OpenApiContract;
import io.smallrye.mutiny.Uni;
import jakarta.validation.Valid;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;
import java.util.UUID;
import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.enums.SchemaType;
import org.eclipse.microprofile.openapi.annotations.extensions.Extension;
import org.eclipse.microprofile.openapi.annotations.media.Schema;
import org.eclipse.microprofile.openapi.annotations.parameters.Parameter;
import org.eclipse.microprofile.openapi.annotations.parameters.RequestBody;
import org.eclipse.microprofile.openapi.annotations.responses.APIResponse;
import org.jboss.resteasy.reactive.RestPath;

/** The hand-over of a claimed reward, by the partner that fulfils it or the operator. */
@Path("/v1/reward-claims/{claimId}/fulfilment")
@Produces(MediaType.APPLICATION_JSON)
public class RewardClaimResource {

    private final RewardService rewards;
    private final CurrentCaller caller;

    RewardClaimResource(RewardService rewards, CurrentCaller caller) {
        this.rewards = rewards;
        this.caller = caller;
    }

    @POST
    @Consumes(MediaType.APPLICATION_JSON)
    @Operation(operationId = "fulfilRewardClaim", summary = "Mark a claim handed over",
            description = "Scope: redeem, as the reward's fulfilment partner, or admin. Writes REWARD_FULFILLED; a "
                    + "fulfilled claim can no longer be cancelled. Asked again, answers the claim as it stands.")
    @RequestBody(required = false)
    @APIResponse(responseCode = "200", description = "The claim, fulfilled")
    @Extension(name = OpenApiContract.ERROR_CODES, value = "CLAIM_NOT_FOUND, CLAIM_NOT_PENDING")
    @RequiresScope(Scope.REDEEM)
    public Uni<RewardClaim> fulfil(
            @Parameter(description = "The claimId of its receipt", schema = @Schema(type = SchemaType.STRING, format = "uuid"))
            @RestPath UUID claimId, @Valid FulfilmentRequest request) {
        return rewards.fulfil(caller.get(), claimId, request);
    }
}
