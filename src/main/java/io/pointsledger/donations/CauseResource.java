package io.pointsledger.donations;

import io.pointsledger.partners.CurrentCaller;
import io.pointsledger.partners.RequiresScope;
import io.pointsledger.partners.Scope;
import io.pointsledger.platform.IfMatch;
import io.pointsledger.platform.OpenApiContract;
import io.pointsledger.rewards.RewardsConfig;
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

/** Causes members give points to, managed by the program operator, with their monthly statements. */
@Path("/v1/admin/causes")
@Produces(MediaType.APPLICATION_JSON)
public class CauseResource {

    private final CauseService causes;
    private final CurrentCaller caller;

    CauseResource(CauseService causes, CurrentCaller caller) {
        this.causes = causes;
        this.caller = caller;
    }

    @POST
    @Consumes(MediaType.APPLICATION_JSON)
    @Operation(operationId = "createCause", summary = "Open a cause for donations, with the program's matching",
            description = "Scope: admin. Audited. The cause is a ledger account of its own, not a member.")
    @APIResponse(responseCode = "201", description = "Created", headers = @Header(name = "Location", required = true,
            description = "The new cause", schema = @Schema(type = SchemaType.STRING, format = "uri-reference")),
            content = @Content(mediaType = MediaType.APPLICATION_JSON, schema = @Schema(implementation = Cause.class)))
    @RequiresScope(Scope.ADMIN)
    public Uni<Response> create(@NotNull @Valid CauseRequest request) {
        return causes.create(caller.get(), request).map(cause -> Response
                .created(URI.create("/v1/admin/causes/" + cause.causeId())).entity(cause).build());
    }

    @GET
    @Operation(operationId = "listCauses", summary = "Causes, newest first", description = "Scope: admin.")
    @APIResponse(responseCode = "200", description = "One page of causes")
    @RequiresScope(Scope.ADMIN)
    public Uni<CausePage> page(
            @Parameter(description = "Only causes in this status", schema = @Schema(implementation = CauseStatus.class))
            @RestQuery String status,
            @Parameter(description = "The nextCursor of the previous page") @RestQuery String cursor,
            @Parameter(description = "Causes per page", schema = @Schema(type = SchemaType.INTEGER, minimum = "1",
                    maximum = "" + RewardsConfig.PAGE_SIZE_MAX, defaultValue = "50")) @RestQuery String limit) {
        return causes.page(status, cursor, limit);
    }

    @GET
    @Path("/{causeId}")
    @Operation(operationId = "findCause", summary = "A cause's account", description = "Scope: admin.")
    @APIResponse(responseCode = "200", description = "The cause")
    @Extension(name = OpenApiContract.ERROR_CODES, value = "CAUSE_NOT_FOUND")
    @RequiresScope(Scope.ADMIN)
    public Uni<Cause> find(@Parameter(description = "As created", schema = @Schema(type = SchemaType.STRING, format = "uuid"))
            @RestPath UUID causeId) {
        return causes.find(causeId);
    }

    @POST
    @Path("/{causeId}/matching-budget")
    @Consumes(MediaType.APPLICATION_JSON)
    @Operation(operationId = "addCauseMatchingBudget", summary = "Add points to a cause's matching budget",
            description = "Scope: admin. Audited. Relative: matches granted meanwhile are kept. Made against the version "
                    + "read (If-Match), so that a retried raise is refused (412) instead of applied twice.")
    @APIResponse(responseCode = "200", description = "The cause with its new budget",
            content = @Content(mediaType = MediaType.APPLICATION_JSON, schema = @Schema(implementation = Cause.class)))
    @Extension(name = OpenApiContract.ERROR_CODES, value = "CAUSE_NOT_FOUND, CAUSE_STATE_CONFLICT, CAUSE_VERSION_MISMATCH, "
            + "IF_MATCH_REQUIRED")
    @RequiresScope(Scope.ADMIN)
    public Uni<Cause> addMatchingBudget(
            @Parameter(description = "As created", schema = @Schema(type = SchemaType.STRING, format = "uuid"))
            @RestPath UUID causeId,
            @Parameter(description = "The cause's version as read, quoted (\"1\"); * for any") @RestHeader(IfMatch.HEADER)
            String ifMatch, @NotNull @Valid MatchingBudgetRequest request) {
        return causes.addMatchingBudget(caller.get(), causeId, request.addPoints(), IfMatch.required(ifMatch, "cause",
                "the version field of the cause as read"));
    }

    @POST
    @Path("/{causeId}/close")
    @Operation(operationId = "closeCause", summary = "Close a cause, for good",
            description = "Scope: admin. Audited. No more donations; its account and statements stay.")
    @APIResponse(responseCode = "200", description = "The cause, closed",
            content = @Content(mediaType = MediaType.APPLICATION_JSON, schema = @Schema(implementation = Cause.class)))
    @Extension(name = OpenApiContract.ERROR_CODES, value = "CAUSE_NOT_FOUND")
    @RequiresScope(Scope.ADMIN)
    public Uni<Cause> close(@Parameter(description = "As created", schema = @Schema(type = SchemaType.STRING, format = "uuid"))
            @RestPath UUID causeId) {
        return causes.close(caller.get(), causeId);
    }

    @GET
    @Path("/{causeId}/statement")
    @Operation(operationId = "causeStatement", summary = "What a cause received over a period, in points and money",
            description = "Scope: admin. For the monthly hand-over: members' donations and the program's match over "
                    + "[from, to), valued at the program's point value.")
    @APIResponse(responseCode = "200", description = "The statement")
    @Extension(name = OpenApiContract.ERROR_CODES, value = "CAUSE_NOT_FOUND")
    @RequiresScope(Scope.ADMIN)
    public Uni<CauseStatement> statement(
            @Parameter(description = "As created", schema = @Schema(type = SchemaType.STRING, format = "uuid"))
            @RestPath UUID causeId,
            @Parameter(required = true, description = "Start, inclusive: ISO 8601 with offset",
                    schema = @Schema(type = SchemaType.STRING, format = "date-time")) @RestQuery String from,
            @Parameter(required = true, description = "End, exclusive: ISO 8601 with offset",
                    schema = @Schema(type = SchemaType.STRING, format = "date-time")) @RestQuery String to) {
        return causes.statement(causeId, from, to);
    }
}
