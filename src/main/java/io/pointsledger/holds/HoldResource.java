package io.pointsledger.holds;

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
import org.eclipse.microprofile.openapi.annotations.extensions.Extension;
import org.eclipse.microprofile.openapi.annotations.media.Content;
import org.eclipse.microprofile.openapi.annotations.media.Schema;
import org.eclipse.microprofile.openapi.annotations.parameters.RequestBody;
import org.eclipse.microprofile.openapi.annotations.responses.APIResponse;
import org.jboss.resteasy.reactive.RestHeader;
import org.jboss.resteasy.reactive.RestPath;

/** Checkout holds, once authorized: capture, void, look up. */
@Path("/v1/holds/{holdId}")
@Produces(MediaType.APPLICATION_JSON)
public class HoldResource {

    private final HoldService holds;
    private final CurrentCaller caller;
    private final OptionalBody optionalBody;

    HoldResource(HoldService holds, CurrentCaller caller, OptionalBody optionalBody) {
        this.holds = holds;
        this.caller = caller;
        this.optionalBody = optionalBody;
    }

    /**
     * A full capture needs no body, so terminals may send none (and no Content-Type); a partial
     * capture sends {@code {"points": n}}. The body is therefore read as text and parsed here.
     */
    @POST
    @Path("/capture")
    @Consumes(MediaType.WILDCARD)
    @Operation(operationId = "captureHold", summary = "Post a hold's points, fully or partly",
            description = "Scope: hold. Without a body the whole hold is captured; a partial capture releases the rest.")
    @APIResponse(responseCode = "200", description = "Captured",
            content = @Content(mediaType = MediaType.APPLICATION_JSON, schema = @Schema(implementation = HoldView.class)))
    @Extension(name = OpenApiContract.ERROR_CODES, value = "HOLD_NOT_FOUND, HOLD_NOT_PENDING, CAPTURE_EXCEEDS_HOLD")
    @RequiresScope(Scope.HOLD)
    public Uni<Response> capture(@RestPath UUID holdId, @RestHeader(IdempotencyHeaders.KEY) String idempotencyKey,
            @RequestBody(required = false, content = @Content(mediaType = MediaType.APPLICATION_JSON,
                    schema = @Schema(implementation = CaptureRequest.class))) String body) throws JsonProcessingException {
        // A JSON null, like no body or {}, asks for a full capture.
        CaptureRequest request = optionalBody.readValue(body, CaptureRequest.class, () -> new CaptureRequest(null));
        return holds.capture(caller.get(), holdId, idempotencyKey, request).map(LedgerResource::answer);
    }

    @POST
    @Path("/void")
    @Operation(operationId = "voidHold", summary = "Release a hold's points", description = "Scope: hold.")
    @APIResponse(responseCode = "200", description = "Voided",
            content = @Content(mediaType = MediaType.APPLICATION_JSON, schema = @Schema(implementation = HoldView.class)))
    @Extension(name = OpenApiContract.ERROR_CODES, value = "HOLD_NOT_FOUND, HOLD_NOT_PENDING")
    @RequiresScope(Scope.HOLD)
    public Uni<Response> voidHold(@RestPath UUID holdId, @RestHeader(IdempotencyHeaders.KEY) String idempotencyKey) {
        return holds.voidHold(caller.get(), holdId, idempotencyKey).map(LedgerResource::answer);
    }

    @GET
    @Operation(operationId = "findHold", summary = "A hold and where it stands",
            description = "Scope: read. A partner finds only its own.")
    @APIResponse(responseCode = "200", description = "The hold")
    @Extension(name = OpenApiContract.ERROR_CODES, value = "HOLD_NOT_FOUND")
    @RequiresScope(Scope.READ)
    public Uni<HoldView> find(@RestPath UUID holdId) {
        return holds.find(caller.get(), holdId);
    }
}
