package io.pointsledger.rewards;

import io.pointsledger.ledger.ClaimReceipt;
import io.pointsledger.ledger.LedgerResource;
import io.pointsledger.partners.CurrentCaller;
import io.pointsledger.partners.RequiresScope;
import io.pointsledger.partners.Scope;
import io.pointsledger.platform.IdempotencyHeaders;
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
import java.util.UUID;
import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.enums.SchemaType;
import org.eclipse.microprofile.openapi.annotations.extensions.Extension;
import org.eclipse.microprofile.openapi.annotations.media.Content;
import org.eclipse.microprofile.openapi.annotations.media.Schema;
import org.eclipse.microprofile.openapi.annotations.parameters.Parameter;
import org.eclipse.microprofile.openapi.annotations.responses.APIResponse;
import org.jboss.resteasy.reactive.RestHeader;
import org.jboss.resteasy.reactive.RestPath;
import org.jboss.resteasy.reactive.RestQuery;

/** The catalogue as one member sees it, and their claims of it. */
@Path("/v1/members/{memberId}/rewards")
@Produces(MediaType.APPLICATION_JSON)
public class MemberRewardResource {

    private final RewardService rewards;
    private final CurrentCaller caller;

    MemberRewardResource(RewardService rewards, CurrentCaller caller) {
        this.rewards = rewards;
        this.caller = caller;
    }

    @GET
    @Operation(operationId = "listMemberRewards", summary = "What the member may claim now, newest first",
            description = "Scope: read. Active rewards in their window for the member's tier, each at the member's price, "
                    + "with whether they can claim it now (in stock, under their limit, within their available points).")
    @APIResponse(responseCode = "200", description = "One page of the catalogue")
    @Extension(name = OpenApiContract.ERROR_CODES, value = "MEMBER_NOT_FOUND")
    @RequiresScope(Scope.READ)
    public Uni<MemberRewardPage> catalogue(@RestPath UUID memberId,
            @Parameter(description = "The nextCursor of the previous page") @RestQuery String cursor,
            @Parameter(description = "Rewards per page", schema = @Schema(type = SchemaType.INTEGER, minimum = "1",
                    maximum = "" + RewardsConfig.PAGE_SIZE_MAX, defaultValue = "50")) @RestQuery String limit) {
        return rewards.catalogue(memberId, cursor, limit);
    }

    @POST
    @Path("/{rewardId}/claims")
    @Consumes(MediaType.APPLICATION_JSON)
    @Operation(operationId = "claimReward", summary = "Claim one unit of a reward (an EXPERIENCE: one seat)",
            description = "Scope: redeem. Debits the member's price (soonest-expiring points first) and takes one unit of "
                    + "stock in one transaction; never more claims than stock, whatever the concurrency. A reward the "
                    + "member's tier may not claim is REWARD_NOT_FOUND, as the catalogue leaves it out.")
    @APIResponse(responseCode = "201", description = "Claimed",
            content = @Content(mediaType = MediaType.APPLICATION_JSON, schema = @Schema(implementation = ClaimReceipt.class)))
    @Extension(name = OpenApiContract.ERROR_CODES, value = "MEMBER_NOT_FOUND, REWARD_NOT_FOUND, REWARD_NOT_AVAILABLE, "
            + "PRICE_CHANGED, CLAIM_LIMIT_REACHED, OUT_OF_STOCK, INSUFFICIENT_POINTS")
    @RequiresScope(Scope.REDEEM)
    public Uni<Response> claim(@RestPath UUID memberId,
            @Parameter(description = "As in the catalogue", schema = @Schema(type = SchemaType.STRING, format = "uuid"))
            @RestPath UUID rewardId,
            @RestHeader(IdempotencyHeaders.KEY) String idempotencyKey, @NotNull @Valid ClaimRequest request) {
        return rewards.claim(caller.get(), memberId, rewardId, idempotencyKey, request).map(LedgerResource::answer);
    }
}
