package io.pointsledger.ledger;

import io.pointsledger.partners.Caller;
import io.pointsledger.partners.CurrentCaller;
import io.pointsledger.partners.RequiresScope;
import io.pointsledger.partners.Scope;
import io.pointsledger.platform.IdempotencyHeaders;
import io.pointsledger.platform.ApiLimits;
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

/** A member's points: earn, redeem, balance and history. */
@Path("/v1/members/{memberId}")
@Produces(MediaType.APPLICATION_JSON)
@Consumes(MediaType.APPLICATION_JSON)
public class LedgerResource {

    private final LedgerService ledger;
    private final CurrentCaller caller;

    LedgerResource(LedgerService ledger, CurrentCaller caller) {
        this.ledger = ledger;
        this.caller = caller;
    }

    @POST
    @Path("/earn")
    @Operation(operationId = "earnPoints", summary = "Award points for a purchase",
            description = "Scope: earn; with explicit points, earn:manual as well.")
    @APIResponse(responseCode = "201", description = "Points awarded",
            content = @Content(mediaType = MediaType.APPLICATION_JSON, schema = @Schema(implementation = TransferReceipt.class)))
    @Extension(name = OpenApiContract.ERROR_CODES, value = "MEMBER_NOT_FOUND, CURRENCY_NOT_ACCEPTED, NO_POINTS_EARNED")
    @RequiresScope(Scope.EARN)
    public Uni<Response> earn(@RestPath UUID memberId, @RestHeader(IdempotencyHeaders.KEY) String idempotencyKey,
            @NotNull @Valid EarnRequest request) {
        Caller earner = caller.get();
        if (request.points() != null) {
            // Explicit points bypass the program's earn rule, so only callers trusted with that may send them.
            // This rule depends on the body, so no annotation can state it: it is checked here, after
            // validation. A caller without earn:manual still learns nothing it could not send itself.
            caller.require(Scope.EARN_MANUAL);
        }
        return ledger.earn(earner, memberId, idempotencyKey, request).map(LedgerResource::answer);
    }

    @POST
    @Path("/redeem")
    @Operation(operationId = "redeemPoints", summary = "Spend points, soonest-expiring first",
            description = "Scope: redeem. Never takes available points below zero, however many redeems and holds race.")
    @APIResponse(responseCode = "201", description = "Points spent",
            content = @Content(mediaType = MediaType.APPLICATION_JSON, schema = @Schema(implementation = TransferReceipt.class)))
    @Extension(name = OpenApiContract.ERROR_CODES, value = "MEMBER_NOT_FOUND, INSUFFICIENT_POINTS")
    @RequiresScope(Scope.REDEEM)
    public Uni<Response> redeem(@RestPath UUID memberId, @RestHeader(IdempotencyHeaders.KEY) String idempotencyKey,
            @NotNull @Valid RedeemRequest request) {
        return ledger.redeem(caller.get(), memberId, idempotencyKey, request).map(LedgerResource::answer);
    }

    @GET
    @Path("/balance")
    @Operation(operationId = "getBalance", summary = "A member's points", description = "Scope: read.")
    @APIResponse(responseCode = "200", description = "The balance")
    @Extension(name = OpenApiContract.ERROR_CODES, value = "MEMBER_NOT_FOUND")
    @RequiresScope(Scope.READ)
    public Uni<Balance> balance(@RestPath UUID memberId) {
        return ledger.balance(memberId);
    }

    @GET
    @Path("/transactions")
    @Operation(operationId = "listTransactions", summary = "A member's history, newest first",
            description = "Scope: read. An administrator sees every transfer, a partner its own.")
    @APIResponse(responseCode = "200", description = "One page of history")
    @Extension(name = OpenApiContract.ERROR_CODES, value = "MEMBER_NOT_FOUND")
    @RequiresScope(Scope.READ)
    public Uni<TransferPage> transactions(@RestPath UUID memberId,
            @Parameter(description = "Transfers per page", schema = @Schema(type = SchemaType.INTEGER, minimum = "1",
                    maximum = "" + ApiLimits.HISTORY_PAGE_SIZE_MAX, defaultValue = "50")) @RestQuery String limit,
            @Parameter(description = "The nextCursor of the previous page") @RestQuery String cursor) {
        return ledger.history(caller.get(), memberId, limit, cursor);
    }

    /** The stored status and receipt, marked when it answers a retry. */
    public static Response answer(Posted<?> posted) {
        Response.ResponseBuilder response = Response.status(posted.status()).entity(posted.receipt());
        if (posted.replayed()) {
            response.header(IdempotencyHeaders.REPLAYED, "true");
        }
        return response.build();
    }
}
