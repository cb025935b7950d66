package io.pointsledger.imports;

import io.quarkus.runtime.annotations.RegisterForReflection;
import org.eclipse.microprofile.openapi.annotations.media.Schema;

/** Why one row was refused, for one field: a row refused for two fields has two. */
@RegisterForReflection(serialization = true)
@Schema(description = "Why a row was refused, for one field. code: REQUIRED, INVALID, TOO_LONG, NOT_IN_THE_PAST, "
        + "DUPLICATE_IN_FILE, ERASED (the external id of a member erased at their request), TOO_MANY_COLUMNS.", example = """
        {"row": 17, "field": "phone", "code": "INVALID", "message": "must be an E.164 number such as +821012345678"}""")
public record ImportRowError(long row, String field, String code, String message) {
}
