package io.pointsledger.rewards;

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

/** The rewards catalogue, managed by the program operator. */
@Path("/v1/admin/rewards")
@Produces(MediaType.APPLICATION_JSON)
public class RewardResource {

    private final RewardService rewards;
    private final CurrentCaller caller;

    RewardResource(RewardService rewards, CurrentCaller caller) {
        this.rewards = rewards;
        this.caller = caller;
    }

    @POST
    @Consumes(MediaType.APPLICATION_JSON)
    @Operation(operationId = "createReward", summary = "Add a reward to the catalogue, claimable at once within its window",
            description = "Scope: admin. Audited.")
    @APIResponse(responseCode = "201", description = "Created", headers = @Header(name = "Location", required = true,
            description = "The new reward", schema = @Schema(type = SchemaType.STRING, format = "uri-reference")),
            content = @Content(mediaType = MediaType.APPLICATION_JSON, schema = @Schema(implementation = Reward.class)))
    @Extension(name = OpenApiContract.ERROR_CODES, value = "PARTNER_NOT_FOUND")
    @RequiresScope(Scope.ADMIN)
    public Uni<Response> create(@NotNull @Valid RewardRequest request) {
        return rewards.create(caller.get(), request).map(reward -> Response
                .created(URI.create("/v1/admin/rewards/" + reward.rewardId())).entity(reward).build());
    }

    @GET
    @Operation(operationId = "listRewards", summary = "Rewards, newest first", description = "Scope: admin.")
    @APIResponse(responseCode = "200", description = "One page of rewards")
    @RequiresScope(Scope.ADMIN)
    public Uni<RewardPage> page(
            @Parameter(description = "Only rewards in this status", schema = @Schema(implementation = RewardStatus.class))
            @RestQuery String status,
            @Parameter(description = "The nextCursor of the previous page") @RestQuery String cursor,
            @Parameter(description = "Rewards per page", schema = @Schema(type = SchemaType.INTEGER, minimum = "1",
                    maximum = "" + RewardsConfig.PAGE_SIZE_MAX, defaultValue = "50")) @RestQuery String limit) {
        return rewards.page(status, cursor, limit);
    }

    @GET
    @Path("/{rewardId}")
    @Operation(operationId = "findReward", summary = "A reward, with its stock left", description = "Scope: admin.")
    @APIResponse(responseCode = "200", description = "The reward")
    @Extension(name = OpenApiContract.ERROR_CODES, value = "REWARD_NOT_FOUND")
    @RequiresScope(Scope.ADMIN)
    public Uni<Reward> find(@Parameter(description = "As created", schema = @Schema(type = SchemaType.STRING, format = "uuid"))
            @RestPath UUID rewardId) {
        return rewards.find(rewardId);
    }

    @POST
    @Path("/{rewardId}/stock")
    @Consumes(MediaType.APPLICATION_JSON)
    @Operation(operationId = "changeRewardStock", summary = "Add units to a reward's stock, or take them off",
            description = "Scope: admin. Audited. Relative: claims made meanwhile are kept; never below zero. Made against "
                    + "the version read (If-Match), so that a retried change is refused (412) instead of applied twice.")
    @APIResponse(responseCode = "200", description = "The reward with its new stock",
            content = @Content(mediaType = MediaType.APPLICATION_JSON, schema = @Schema(implementation = Reward.class)))
    @Extension(name = OpenApiContract.ERROR_CODES, value = "REWARD_NOT_FOUND, REWARD_STOCK_CONFLICT, REWARD_VERSION_MISMATCH, "
            + "IF_MATCH_REQUIRED")
    @RequiresScope(Scope.ADMIN)
    public Uni<Reward> changeStock(
            @Parameter(description = "As created", schema = @Schema(type = SchemaType.STRING, format = "uuid"))
            @RestPath UUID rewardId,
            @Parameter(description = "The reward's version as read, quoted (\"3\"); * for any") @RestHeader("If-Match")
            String ifMatch, @NotNull @Valid StockChangeRequest request) {
        return rewards.changeStock(caller.get(), rewardId, request.change(), ifMatch);
    }

    @POST
    @Path("/{rewardId}/retire")
    @Operation(operationId = "retireReward", summary = "Retire a reward, for good",
            description = "Scope: admin. Audited. No member sees or claims it from then on; its claims stay as they are.")
    @APIResponse(responseCode = "200", description = "The reward, retired",
            content = @Content(mediaType = MediaType.APPLICATION_JSON, schema = @Schema(implementation = Reward.class)))
    @Extension(name = OpenApiContract.ERROR_CODES, value = "REWARD_NOT_FOUND")
    @RequiresScope(Scope.ADMIN)
    public Uni<Reward> retire(@Parameter(description = "As created", schema = @Schema(type = SchemaType.STRING, format = "uuid"))
            @RestPath UUID rewardId) {
        return rewards.retire(caller.get(), rewardId);
    }

    @GET
    @Path("/{rewardId}/claims")
    @Operation(operationId = "listRewardClaims", summary = "A reward's claims, newest first",
            description = "Scope: admin. For the hand-over: filter by status CLAIMED for what is still to fulfil.")
    @APIResponse(responseCode = "200", description = "One page of claims")
    @Extension(name = OpenApiContract.ERROR_CODES, value = "REWARD_NOT_FOUND")
    @RequiresScope(Scope.ADMIN)
    public Uni<RewardClaimPage> claims(
            @Parameter(description = "As created", schema = @Schema(type = SchemaType.STRING, format = "uuid"))
            @RestPath UUID rewardId,
            @Parameter(description = "Only claims in this status", schema = @Schema(implementation = ClaimStatus.class))
            @RestQuery String status,
            @Parameter(description = "The nextCursor of the previous page") @RestQuery String cursor,
            @Parameter(description = "Claims per page", schema = @Schema(type = SchemaType.INTEGER, minimum = "1",
                    maximum = "" + RewardsConfig.PAGE_SIZE_MAX, defaultValue = "50")) @RestQuery String limit) {
        return rewards.rewardClaims(rewardId, status, cursor, limit);
    }
}
