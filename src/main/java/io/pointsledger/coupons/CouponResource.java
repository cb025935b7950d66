package io.pointsledger.coupons;

import io.pointsledger.ledger.LedgerResource;
import io.pointsledger.partners.CurrentCaller;
import io.pointsledger.partners.RequiresScope;
import io.pointsledger.partners.Scope;
import io.pointsledger.platform.ApiLimits;
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

/** A coupon code at the checkout: what it would give, held for the checkout, released, redeemed. */
@Path("/v1/coupons/{code}")
@Produces(MediaType.APPLICATION_JSON)
@Consumes(MediaType.APPLICATION_JSON)
public class CouponResource {

    private static final String USE_ERRORS = "COUPON_NOT_FOUND, MEMBER_NOT_FOUND, COUPON_OF_ANOTHER_MEMBER, "
            + "COUPON_ALREADY_REDEEMED, COUPON_HELD, COUPON_NOT_YET_VALID, COUPON_EXPIRED, COUPON_LIMIT_REACHED, "
            + "COUPON_NOT_APPLICABLE, CURRENCY_NOT_ACCEPTED";

    private final CouponService coupons;
    private final CurrentCaller caller;

    CouponResource(CouponService coupons, CurrentCaller caller) {
        this.coupons = coupons;
        this.caller = caller;
    }

    @POST
    @Path("/validate")
    @Operation(operationId = "validateCoupon", summary = "What the code would give this basket now",
            description = "Scope: redeem. Changes nothing; refuses as a redemption would.")
    @APIResponse(responseCode = "200", description = "What it would give (redeemedAt null)",
            content = @Content(mediaType = MediaType.APPLICATION_JSON, schema = @Schema(implementation = CouponRedemption.class)))
    @Extension(name = OpenApiContract.ERROR_CODES, value = USE_ERRORS)
    @RequiresScope(Scope.REDEEM)
    public Uni<CouponRedemption> validate(@Parameter(description = "As issued (letters and digits; any case)", schema = @Schema(type = SchemaType.STRING,
            maxLength = ApiLimits.COUPON_CODE_LENGTH_MAX)) @RestPath String code, @NotNull @Valid Basket basket) {
        return coupons.validate(code, basket);
    }

    @POST
    @Path("/redeem")
    @Operation(operationId = "redeemCoupon", summary = "Redeem the code on this basket, once",
            description = "Scope: redeem. Idempotent: a retry with the same Idempotency-Key replays the answer "
                    + "(Idempotent-Replayed: true); any other redemption of a redeemed code is refused, however many race. "
                    + "A points coupon's points are posted to the member's account. A code held for this member's order "
                    + "is redeemed on it. Audited by its COUPON_REDEEMED event.")
    @APIResponse(responseCode = "200", description = "Redeemed", headers = @Header(name = IdempotencyHeaders.REPLAYED,
            description = "true when this answers a retry", schema = @Schema(type = SchemaType.STRING)),
            content = @Content(mediaType = MediaType.APPLICATION_JSON, schema = @Schema(implementation = CouponRedemption.class)))
    @Extension(name = OpenApiContract.ERROR_CODES, value = USE_ERRORS + ", IDEMPOTENCY_KEY_REQUIRED")
    @RequiresScope(Scope.REDEEM)
    public Uni<Response> redeem(@Parameter(description = "As issued (letters and digits; any case)", schema = @Schema(type = SchemaType.STRING,
            maxLength = ApiLimits.COUPON_CODE_LENGTH_MAX)) @RestPath String code, @RestHeader(IdempotencyHeaders.KEY) String idempotencyKey,
            @NotNull @Valid Basket basket) {
        return coupons.redeem(caller.get(), code, idempotencyKey, basket).map(LedgerResource::answer);
    }

    @POST
    @Path("/hold")
    @Operation(operationId = "holdCoupon", summary = "Hold the code for a checkout",
            description = "Scope: redeem. Until redeemed on the order, released, the checkout's points hold voided, or "
                    + "points-ledger.coupons.hold-duration (15 minutes) passes; holding again for the same order extends it.")
    @APIResponse(responseCode = "200", description = "Held",
            content = @Content(mediaType = MediaType.APPLICATION_JSON, schema = @Schema(implementation = Coupon.class)))
    @Extension(name = OpenApiContract.ERROR_CODES, value = "COUPON_NOT_FOUND, MEMBER_NOT_FOUND, COUPON_OF_ANOTHER_MEMBER, "
            + "COUPON_ALREADY_REDEEMED, COUPON_HELD, COUPON_NOT_YET_VALID, COUPON_EXPIRED, COUPON_LIMIT_REACHED")
    @RequiresScope(Scope.REDEEM)
    public Uni<Coupon> hold(@Parameter(description = "As issued (letters and digits; any case)", schema = @Schema(type = SchemaType.STRING,
            maxLength = ApiLimits.COUPON_CODE_LENGTH_MAX)) @RestPath String code, @NotNull @Valid CouponHoldRequest request) {
        return coupons.hold(caller.get(), code, request);
    }

    @POST
    @Path("/release")
    @Operation(operationId = "releaseCoupon", summary = "Release the code held for a checkout", description = "Scope: redeem.")
    @APIResponse(responseCode = "200", description = "Released: ISSUED again",
            content = @Content(mediaType = MediaType.APPLICATION_JSON, schema = @Schema(implementation = Coupon.class)))
    @Extension(name = OpenApiContract.ERROR_CODES, value = "COUPON_NOT_FOUND, COUPON_NOT_HELD")
    @RequiresScope(Scope.REDEEM)
    public Uni<Coupon> release(@Parameter(description = "As issued (letters and digits; any case)", schema = @Schema(type = SchemaType.STRING,
            maxLength = ApiLimits.COUPON_CODE_LENGTH_MAX)) @RestPath String code, @NotNull @Valid CouponHoldRequest request) {
        return coupons.release(code, request);
    }
}
