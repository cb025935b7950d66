package io.pointsledger.rewards;

import com.fasterxml.jackson.core.JsonProcessingException;
import io.pointsledger.partners.CurrentCaller;
import io.pointsledger.partners.RequiresScope;
import io.pointsledger.partners.Scope;
import io.pointsledger.platform.OpenApiContract;
import io.pointsledger.platform.OptionalBody;
import io.smallrye.mutiny.Uni;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;
import java.util.UUID;
import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.enums.SchemaType;
import org.eclipse.microprofile.openapi.annotations.extensions.Extension;
import org.eclipse.microprofile.openapi.annotations.media.Content;
import org.eclipse.microprofile.openapi.annotations.media.Schema;
import org.eclipse.microprofile.openapi.annotations.parameters.Parameter;
import org.eclipse.microprofile.openapi.annotations.parameters.RequestBody;
import org.eclipse.microprofile.openapi.annotations.responses.APIResponse;
import org.jboss.resteasy.reactive.RestPath;
import org.jboss.resteasy.reactive.RestQuery;

/** The hand-over of claimed rewards, by the partner that fulfils them or the operator. */
@Path("/v1/reward-claims")
@Produces(MediaType.APPLICATION_JSON)
public class RewardClaimResource {

    private final RewardService rewards;
    private final CurrentCaller caller;
    private final OptionalBody optionalBody;

    RewardClaimResource(RewardService rewards, CurrentCaller caller, OptionalBody optionalBody) {
        this.rewards = rewards;
        this.caller = caller;
        this.optionalBody = optionalBody;
    }

    @GET
    @Operation(operationId = "listHandOverClaims", summary = "Claims of the rewards the caller hands over, newest first",
            description = "Scope: redeem. A fulfilment partner's work list: the claims of the rewards naming it as "
                    + "fulfilmentPartnerId (filter by status CLAIMED for what is still to hand over); every claim for an "
                    + "administrator.")
    @APIResponse(responseCode = "200", description = "One page of claims")
    @RequiresScope(Scope.REDEEM)
    public Uni<RewardClaimPage> claims(
            @Parameter(description = "Only claims in this status", schema = @Schema(implementation = ClaimStatus.class))
            @RestQuery String status,
            @Parameter(description = "The nextCursor of the previous page") @RestQuery String cursor,
            @Parameter(description = "Claims per page", schema = @Schema(type = SchemaType.INTEGER, minimum = "1",
                    maximum = "" + RewardsConfig.PAGE_SIZE_MAX, defaultValue = "50")) @RestQuery String limit) {
        return rewards.handOverClaims(caller.get(), status, cursor, limit);
    }

    /** A till may mark a hand-over with no body and no Content-Type: the body is read as text and parsed here. */
    @POST
    @Path("/{claimId}/fulfilment")
    @Consumes(MediaType.WILDCARD)
    @Operation(operationId = "fulfilRewardClaim", summary = "Mark a claim handed over",
            description = "Scope: redeem, as the reward's fulfilment partner, or admin. Writes REWARD_FULFILLED; a "
                    + "fulfilled claim can no longer be cancelled. Asked again, answers the claim as it stands.")
    @APIResponse(responseCode = "200", description = "The claim, fulfilled")
    @Extension(name = OpenApiContract.ERROR_CODES, value = "CLAIM_NOT_FOUND, CLAIM_NOT_PENDING")
    @RequiresScope(Scope.REDEEM)
    public Uni<RewardClaim> fulfil(
            @Parameter(description = "The claimId of its receipt", schema = @Schema(type = SchemaType.STRING, format = "uuid"))
            @RestPath UUID claimId,
            @RequestBody(required = false, content = @Content(mediaType = MediaType.APPLICATION_JSON,
                    schema = @Schema(implementation = FulfilmentRequest.class))) String body) throws JsonProcessingException {
        return rewards.fulfil(caller.get(), claimId, optionalBody.readValue(body, FulfilmentRequest.class,
                () -> new FulfilmentRequest(null)));
    }
}
