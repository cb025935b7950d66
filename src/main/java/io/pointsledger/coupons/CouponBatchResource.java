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

/** Batches of bearer codes: their progress, and their codes to export. */
@Path("/v1/admin/coupon-batches/{batchId}")
@Produces(MediaType.APPLICATION_JSON)
public class CouponBatchResource {

    private final CouponService coupons;

    CouponBatchResource(CouponService coupons) {
        this.coupons = coupons;
    }

    @GET
    @Operation(operationId = "findCouponBatch", summary = "A batch's progress", description = "Scope: admin.")
    @APIResponse(responseCode = "200", description = "The batch: RUNNING until every code is issued")
    @Extension(name = OpenApiContract.ERROR_CODES, value = "COUPON_BATCH_NOT_FOUND")
    @RequiresScope(Scope.ADMIN)
    public Uni<CouponBatch> find(@Parameter(description = "As started", schema = @Schema(type = SchemaType.STRING, format = "uuid"))
            @RestPath UUID batchId) {
        return coupons.findBatch(batchId);
    }

    @GET
    @Path("/coupons")
    @Operation(operationId = "listCouponBatchCodes", summary = "A batch's codes, in the order issued",
            description = "Scope: admin. The codes issued so far; page through with the cursor to export them.")
    @APIResponse(responseCode = "200", description = "One page of codes")
    @Extension(name = OpenApiContract.ERROR_CODES, value = "COUPON_BATCH_NOT_FOUND")
    @RequiresScope(Scope.ADMIN)
    public Uni<CouponPage> codes(@Parameter(description = "As started", schema = @Schema(type = SchemaType.STRING, format = "uuid"))
            @RestPath UUID batchId,
            @Parameter(description = "The nextCursor of the previous page") @RestQuery String cursor,
            @Parameter(description = "Codes per page", schema = @Schema(type = SchemaType.INTEGER, minimum = "1",
                    maximum = "" + CouponsConfig.PAGE_SIZE_MAX, defaultValue = "50")) @RestQuery String limit) {
        return coupons.batchCodes(batchId, cursor, limit);
    }
}
