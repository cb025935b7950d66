package io.pointsledger.imports;

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
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.enums.SchemaType;
import org.eclipse.microprofile.openapi.annotations.extensions.Extension;
import org.eclipse.microprofile.openapi.annotations.headers.Header;
import org.eclipse.microprofile.openapi.annotations.media.Content;
import org.eclipse.microprofile.openapi.annotations.media.Schema;
import org.eclipse.microprofile.openapi.annotations.parameters.Parameter;
import org.eclipse.microprofile.openapi.annotations.responses.APIResponse;
import org.jboss.resteasy.reactive.RestMulti;
import org.jboss.resteasy.reactive.RestPath;
import org.jboss.resteasy.reactive.RestQuery;

/** Bulk imports of members from a CSV or Excel file, run in the background, and their reports. */
@Path("/v1/admin/imports")
@Produces(MediaType.APPLICATION_JSON)
public class ImportResource {

    static final String TEXT_CSV = "text/csv";

    private final ImportService imports;
    private final CurrentCaller caller;

    ImportResource(ImportService imports, CurrentCaller caller) {
        this.imports = imports;
        this.caller = caller;
    }

    @POST
    @Consumes(MediaType.APPLICATION_JSON)
    @Operation(operationId = "startImport", summary = "Import members, their opening balances or their purchase history from a file",
            description = "Scope: admin. The file is first put in the import directory (points-ledger.imports.directory); "
                    + "its header row is checked now, its rows are read in the background. MEMBERS: each row is enrolled as "
                    + "POST /v1/members would, and must have an externalId: a row whose externalId is already enrolled is "
                    + "left as it is (running a file again changes nothing); a second row of the file with it is refused. "
                    + "BALANCES: each row (externalId, points, expiresAt?, reference?) is one MIGRATION transfer, at most one "
                    + "per member ever; channel is not read. PURCHASES: each row (externalId, orderId, occurredAt, sku?, category?, "
                    + "quantity?, unitPrice?, amount?, channel?) is a purchase line; a purchase (one member's orderId, its lines "
                    + "consecutive rows) is kept in the purchase history and counted toward tiers and recommendations, once "
                    + "ever; with postPoints, each also posts its points as an EARN dated from the purchase. Audited. Follow the "
                    + "job at Location.")
    @APIResponse(responseCode = "202", description = "Started", headers = @Header(name = "Location", required = true,
            description = "The job", schema = @Schema(type = SchemaType.STRING, format = "uri-reference")),
            content = @Content(mediaType = MediaType.APPLICATION_JSON, schema = @Schema(implementation = ImportJob.class)))
    @Extension(name = OpenApiContract.ERROR_CODES, value = "IMPORT_FILE_NOT_FOUND, IMPORT_FILE_TOO_LARGE, IMPORT_HEADER_INVALID")
    @RequiresScope(Scope.ADMIN)
    public Uni<Response> start(@NotNull @Valid ImportRequest request) {
        return imports.start(caller.get(), request).map(job -> Response.accepted(job)
                .location(URI.create("/v1/admin/imports/" + job.jobId())).build());
    }

    @GET
    @Operation(operationId = "listImports", summary = "Imports, newest first", description = "Scope: admin.")
    @APIResponse(responseCode = "200", description = "A page of imports")
    @RequiresScope(Scope.ADMIN)
    public Uni<ImportJobPage> list(@Parameter(description = "The nextCursor of the previous page") @RestQuery String cursor,
            @Parameter(description = "Imports per page", schema = @Schema(type = SchemaType.INTEGER, minimum = "1",
                    maximum = "" + ImportsConfig.PAGE_SIZE_MAX, defaultValue = "50")) @RestQuery String limit) {
        return imports.list(cursor, limit);
    }

    @GET
    @Path("/{jobId}")
    @Operation(operationId = "findImport", summary = "An import and how far it is",
            description = "Scope: admin. Rows read, accepted, existing and refused, rows per second, progress and the "
                    + "seconds left (estimated from the bytes read).")
    @APIResponse(responseCode = "200", description = "The import")
    @Extension(name = OpenApiContract.ERROR_CODES, value = "IMPORT_NOT_FOUND")
    @RequiresScope(Scope.ADMIN)
    public Uni<ImportJob> find(@RestPath UUID jobId) {
        return imports.find(jobId);
    }

    @GET
    @Path("/{jobId}/errors")
    @Operation(operationId = "importErrors", summary = "The rows an import refused, and why",
            description = "Scope: admin. One entry per row and field, in row order (the header is row 1).")
    @APIResponse(responseCode = "200", description = "A page of refused rows")
    @Extension(name = OpenApiContract.ERROR_CODES, value = "IMPORT_NOT_FOUND")
    @RequiresScope(Scope.ADMIN)
    public Uni<ImportRowErrorPage> errors(@RestPath UUID jobId,
            @Parameter(description = "The nextCursor of the previous page") @RestQuery String cursor,
            @Parameter(description = "Entries per page", schema = @Schema(type = SchemaType.INTEGER, minimum = "1",
                    maximum = "" + ImportsConfig.PAGE_SIZE_MAX, defaultValue = "50")) @RestQuery String limit) {
        return imports.errors(jobId, cursor, limit);
    }

    @GET
    @Path("/{jobId}/error-report")
    @Produces(TEXT_CSV)
    @Operation(operationId = "importErrorReport", summary = "The rows an import refused, as a CSV file",
            description = "Scope: admin. Every refused row and field, in row order: row,field,code,message. Streamed; "
                    + "as far as the import is when asked.")
    @APIResponse(responseCode = "200", description = "The report", content = @Content(mediaType = TEXT_CSV,
            schema = @Schema(type = SchemaType.STRING, example = "row,field,code,message\r\n"
                    + "17,phone,INVALID,must be an E.164 number such as +821012345678\r\n")))
    @Extension(name = OpenApiContract.ERROR_CODES, value = "IMPORT_NOT_FOUND")
    @RequiresScope(Scope.ADMIN)
    public RestMulti<String> errorReport(@RestPath UUID jobId) {
        return RestMulti.fromUniResponse(imports.report(jobId), report -> report,
                report -> Map.of("Content-Disposition", List.of("attachment; filename=\"import-" + jobId + "-errors.csv\"")));
    }
}
