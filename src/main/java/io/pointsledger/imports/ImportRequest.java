package io.pointsledger.imports;

import io.pointsledger.members.EnrollmentChannel;
import jakarta.validation.constraints.NotNull;
import jakarta.validation.constraints.Pattern;
import org.eclipse.microprofile.openapi.annotations.media.Schema;

/**
 * An import of a file already in the import directory. {@code format} defaults to what the file's
 * extension says; {@code channel} to BULK (a migration, which SIGNUP campaigns do not reward);
 * {@code postPoints}, for purchase history only, to false (history for tiers and analytics alone).
 */
@Schema(description = "An import of a file already put in the import directory (points-ledger.imports.directory): file "
        + "is its name there, never a path. kind: MEMBERS, BALANCES (their opening balances from the system the "
        + "program replaces) or PURCHASES (their purchase history from it, one row per purchase line). format defaults to the extension's (.csv, .xlsx); channel (MEMBERS only) to BULK, a "
        + "migration that SIGNUP campaigns do not reward (OFFLINE or ONLINE for a sheet of new sign-ups). postPoints "
        + "(PURCHASES only, default false): also post the points each purchase earned, an EARN per purchase.", example = """
        {"kind": "MEMBERS", "file": "members-2026-11.csv", "channel": "BULK"}""")
public record ImportRequest(@NotNull ImportKind kind,
        @NotNull @Pattern(regexp = FILE_NAME_PATTERN, message = "must be the name of a file in the import directory: "
                + "letters, digits, '.', '_' and '-', at most 128, not starting with '.'") String file,
        @Schema(nullable = true) ImportFormat format,
        @Schema(nullable = true) EnrollmentChannel channel,
        @Schema(nullable = true) Boolean postPoints) {

    boolean postsPoints() {
        return Boolean.TRUE.equals(postPoints);
    }

    /** A plain file name: no directory, no parent, nothing hidden. */
    static final String FILE_NAME_PATTERN = "^[A-Za-z0-9_-][A-Za-z0-9._-]{0,127}$";
}
