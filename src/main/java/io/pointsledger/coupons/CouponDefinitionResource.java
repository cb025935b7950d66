package io.pointsledger.coupons;

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
import org.eclipse.microprofile.openapi.annotations.enums.ParameterIn;
import org.eclipse.microprofile.openapi.annotations.enums.SchemaType;
import org.eclipse.microprofile.openapi.annotations.extensions.Extension;
import org.eclipse.microprofile.openapi.annotations.headers.Header;
import org.eclipse.microprofile.openapi.annotations.media.Content;
import org.eclipse.microprofile.openapi.annotations.media.Schema;
import org.eclipse.microprofile.openapi.annotations.parameters.Parameter;
import org.eclipse.microprofile.openapi.annotations.responses.APIResponse;
import org.jboss.resteasy.reactive.RestPath;
import org.jboss.resteasy.reactive.RestQuery;

/** Coupon definitions, and the codes issued from them, managed by the program operator. */
@Path("/v1/admin/coupon-definitions")
@Produces(MediaType.APPLICATION_JSON)
public class CouponDefinitionResource {

    private final CouponService coupons;
    private final CurrentCaller caller;

    CouponDefinitionResource(CouponService coupons, CurrentCaller caller) {
        this.coupons = coupons;
        this.caller = caller;
    }

    @POST
    @Consumes(MediaType.APPLICATION_JSON)
    @Operation(operationId = "createCouponDefinition", summary = "Define a coupon",
            description = "Scope: admin. Audited. A definition never changes: issue codes of a new one instead.")
    @APIResponse(responseCode = "201", description = "Defined", headers = @Header(name = "Location", required = true,
            description = "The new definition", schema = @Schema(type = SchemaType.STRING, format = "uri-reference")),
            content = @Content(mediaType = MediaType.APPLICATION_JSON, schema = @Schema(implementation = CouponDefinition.class)))
    @RequiresScope(Scope.ADMIN)
    public Uni<Response> create(@NotNull @Valid CouponDefinitionRequest request) {
        return coupons.createDefinition(caller.get(), request).map(definition -> Response
                .created(URI.create("/v1/admin/coupon-definitions/" + definition.definitionId())).entity(definition).build());
    }

    @GET
    @Operation(operationId = "listCouponDefinitions", summary = "Coupon definitions, newest first", description = "Scope: admin.")
    @APIResponse(responseCode = "200", description = "One page of definitions")
    @RequiresScope(Scope.ADMIN)
    public Uni<CouponDefinitionPage> page(
            @Parameter(description = "The nextCursor of the previous page") @RestQuery String cursor,
            @Parameter(description = "Definitions per page", schema = @Schema(type = SchemaType.INTEGER, minimum = "1",
                    maximum = "" + CouponsConfig.PAGE_SIZE_MAX, defaultValue = "50")) @RestQuery String limit) {
        return coupons.definitions(cursor, limit);
    }

    @GET
    @Path("/{definitionId}")
    @Operation(operationId = "findCouponDefinition", summary = "A coupon definition", description = "Scope: admin.")
    @APIResponse(responseCode = "200", description = "The definition")
    @Extension(name = OpenApiContract.ERROR_CODES, value = "COUPON_DEFINITION_NOT_FOUND")
    @Parameter(name = "definitionId", in = ParameterIn.PATH, description = "As created",
            schema = @Schema(type = SchemaType.STRING, format = "uuid"))
    @RequiresScope(Scope.ADMIN)
    public Uni<CouponDefinition> find(@RestPath UUID definitionId) {
        return coupons.findDefinition(definitionId);
    }

    @POST
    @Path("/{definitionId}/coupons")
    @Consumes(MediaType.APPLICATION_JSON)
    @Operation(operationId = "issueCoupon", summary = "Issue one code",
            description = "Scope: admin. Audited. To a member (in their wallet; a COUPON_ISSUED notice goes out on the "
                    + "notification channel) or, without memberId, a bearer code anyone holding it may redeem once.")
    @APIResponse(responseCode = "201", description = "Issued",
            content = @Content(mediaType = MediaType.APPLICATION_JSON, schema = @Schema(implementation = Coupon.class)))
    @Extension(name = OpenApiContract.ERROR_CODES, value = "COUPON_DEFINITION_NOT_FOUND, MEMBER_NOT_FOUND")
    @Parameter(name = "definitionId", in = ParameterIn.PATH, description = "As created",
            schema = @Schema(type = SchemaType.STRING, format = "uuid"))
    @RequiresScope(Scope.ADMIN)
    public Uni<Response> issue(@RestPath UUID definitionId, @NotNull @Valid IssueCouponRequest request) {
        return coupons.issue(caller.get(), definitionId, request.memberId())
                .map(coupon -> Response.status(Response.Status.CREATED).entity(coupon).build());
    }

    @POST
    @Path("/{definitionId}/batches")
    @Consumes(MediaType.APPLICATION_JSON)
    @Operation(operationId = "startCouponBatch", summary = "Issue many bearer codes, in the background",
            description = "Scope: admin. Audited. Answers at once; follow the batch's progress at its Location and "
                    + "read its codes, once issued, at /v1/admin/coupon-batches/{batchId}/coupons.")
    @APIResponse(responseCode = "202", description = "Started", headers = @Header(name = "Location", required = true,
            description = "The batch, for its progress", schema = @Schema(type = SchemaType.STRING, format = "uri-reference")),
            content = @Content(mediaType = MediaType.APPLICATION_JSON, schema = @Schema(implementation = CouponBatch.class)))
    @Extension(name = OpenApiContract.ERROR_CODES, value = "COUPON_DEFINITION_NOT_FOUND")
    @Parameter(name = "definitionId", in = ParameterIn.PATH, description = "As created",
            schema = @Schema(type = SchemaType.STRING, format = "uuid"))
    @RequiresScope(Scope.ADMIN)
    public Uni<Response> startBatch(@RestPath UUID definitionId, @NotNull @Valid CouponBatchRequest request) {
        return coupons.startBatch(caller.get(), definitionId, request.count()).map(batch -> Response.accepted(batch)
                .location(URI.create("/v1/admin/coupon-batches/" + batch.batchId())).build());
    }
}
