package io.pointsledger.rewards;

import io.pointsledger.ledger.ClaimReceipt;
import io.pointsledger.ledger.LedgerResource;
import io.pointsledger.partners.CurrentCaller;
import io.pointsledger.partners.RequiresScope;
import io.pointsledger.partners.Scope;
import io.pointsledger.platform.IdempotencyHeaders;
import io.pointsledger.platform.OpenApiContract;
import io.pointsledger.platform.OptionalBody;
import io.smallrye.mutiny.Uni;
import com.fasterxml.jackson.core.JsonProcessingException;
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
import org.eclipse.microprofile.openapi.annotations.parameters.RequestBody;
import org.eclipse.microprofile.openapi.annotations.responses.APIResponse;
import org.jboss.resteasy.reactive.RestHeader;
import org.jboss.resteasy.reactive.RestPath;
import org.jboss.resteasy.reactive.RestQuery;

/** A member's reward claims: listed, looked up, cancelled. */
@Path("/v1/members/{memberId}/reward-claims")
@Produces(MediaType.APPLICATION_JSON)
public class MemberRewardClaimResource {

    private final RewardService rewards;
    private final CurrentCaller caller;
    private final OptionalBody optionalBody;

    MemberRewardClaimResource(RewardService rewards, CurrentCaller caller, OptionalBody optionalBody) {
        this.rewards = rewards;
        this.caller = caller;
        this.optionalBody = optionalBody;
    }

    @GET
    @Operation(operationId = "listMemberRewardClaims", summary = "The member's reward claims, newest first",
            description = "Scope: read. A partner sees the claims it made and those of rewards it hands over; an "
                    + "administrator, all.")
    @APIResponse(responseCode = "200", description = "One page of claims")
    @Extension(name = OpenApiContract.ERROR_CODES, value = "MEMBER_NOT_FOUND")
    @RequiresScope(Scope.READ)
    public Uni<RewardClaimPage> claims(@RestPath UUID memberId,
            @Parameter(description = "The nextCursor of the previous page") @RestQuery String cursor,
            @Parameter(description = "Claims per page", schema = @Schema(type = SchemaType.INTEGER, minimum = "1",
                    maximum = "" + RewardsConfig.PAGE_SIZE_MAX, defaultValue = "50")) @RestQuery String limit) {
        return rewards.memberClaims(caller.get(), memberId, cursor, limit);
    }

    @GET
    @Path("/{claimId}")
    @Operation(operationId = "findMemberRewardClaim", summary = "One reward claim",
            description = "Scope: read. A partner finds the claims it made and those of rewards it hands over; an "
                    + "administrator, all.")
    @APIResponse(responseCode = "200", description = "The claim")
    @Extension(name = OpenApiContract.ERROR_CODES, value = "CLAIM_NOT_FOUND")
    @RequiresScope(Scope.READ)
    public Uni<RewardClaim> claim(@RestPath UUID memberId,
            @Parameter(description = "The claimId of its receipt", schema = @Schema(type = SchemaType.STRING, format = "uuid"))
            @RestPath UUID claimId) {
        return rewards.memberClaim(caller.get(), memberId, claimId);
    }

    /** A till may cancel with no body and no Content-Type: the body is read as text and parsed here. */
    @POST
    @Path("/{claimId}/cancellation")
    @Consumes(MediaType.WILDCARD)
    @Operation(operationId = "cancelRewardClaim", summary = "Cancel a claim: points back to their lots, the unit back in stock",
            description = "Scope: redeem. The claim's points go back to the lots they were spent from, keeping their "
                    + "expiry dates, and its unit (or seat) back in stock. Only a claim not yet fulfilled; past an "
                    + "EXPERIENCE's cut-off only an administrator may cancel (CANCELLATION_CLOSED).")
    @APIResponse(responseCode = "200", description = "Cancelled",
            content = @Content(mediaType = MediaType.APPLICATION_JSON, schema = @Schema(implementation = ClaimReceipt.class)))
    @Extension(name = OpenApiContract.ERROR_CODES, value = "MEMBER_NOT_FOUND, CLAIM_NOT_FOUND, CLAIM_NOT_PENDING, "
            + "CANCELLATION_CLOSED")
    @RequiresScope(Scope.REDEEM)
    public Uni<Response> cancel(@RestPath UUID memberId,
            @Parameter(description = "The claimId of its receipt", schema = @Schema(type = SchemaType.STRING, format = "uuid"))
            @RestPath UUID claimId,
            @RestHeader(IdempotencyHeaders.KEY) String idempotencyKey,
            @RequestBody(required = false, content = @Content(mediaType = MediaType.APPLICATION_JSON,
                    schema = @Schema(implementation = CancelClaimRequest.class))) String body) throws JsonProcessingException {
        CancelClaimRequest request = optionalBody.readValue(body, CancelClaimRequest.class, () -> new CancelClaimRequest(null));
        return rewards.cancel(caller.get(), memberId, claimId, idempotencyKey, request).map(LedgerResource::answer);
    }
}
