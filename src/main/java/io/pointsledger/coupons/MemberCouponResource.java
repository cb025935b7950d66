package io.pointsledger.coupons;

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
import org.jboss.resteasy.reactive.RestQuery;

/** A member's wallet: the codes issued to them. */
@Path("/v1/members/{memberId}/coupons")
@Produces(MediaType.APPLICATION_JSON)
public class MemberCouponResource {

    private final CouponService coupons;

    MemberCouponResource(CouponService coupons) {
        this.coupons = coupons;
    }

    @GET
    @Operation(operationId = "listMemberCoupons", summary = "The member's coupons, in the order issued",
            description = "Scope: read. Every code issued to the member, with its status (a hold past its time shows ISSUED).")
    @APIResponse(responseCode = "200", description = "One page of codes")
    @Extension(name = OpenApiContract.ERROR_CODES, value = "MEMBER_NOT_FOUND")
    @RequiresScope(Scope.READ)
    public Uni<CouponPage> wallet(@RestPath UUID memberId,
            @Parameter(description = "The nextCursor of the previous page") @RestQuery String cursor,
            @Parameter(description = "Codes per page", schema = @Schema(type = SchemaType.INTEGER, minimum = "1",
                    maximum = "" + CouponsConfig.PAGE_SIZE_MAX, defaultValue = "50")) @RestQuery String limit) {
        return coupons.wallet(memberId, cursor, limit);
    }
}
