package io.pointsledger.imports;

import io.quarkus.runtime.annotations.RegisterForReflection;
import org.eclipse.microprofile.openapi.annotations.media.Schema;

/** Why one row was refused, for one field: a row refused for two fields has two. */
@RegisterForReflection(serialization = true)
@Schema(description = "Why a row was refused, for one field. code: REQUIRED, INVALID, TOO_LONG, NOT_IN_THE_PAST, "
        + "DUPLICATE_IN_FILE, ERASED (the external id of a member erased at their request), TOO_MANY_COLUMNS; for "
        + "opening balances also MEMBER_NOT_FOUND (no member has the external id: import the members first), "
        + "OUT_OF_RANGE (points not from 1 to 1 000 000 000), EXPIRED (an expiry already past), ALREADY_MIGRATED (the "
        + "member's opening balance came over before with other points) and CHANGED (the row differs from what the "
        + "same import wrote for it before a restart); for purchase history also MEMBER_NOT_FOUND, OUT_OF_RANGE (a number "
        + "or a year out of its range), NOT_CONSECUTIVE (a line of an order begun earlier in the file), INCONSISTENT (a "
        + "line more than a day from its purchase's first, or on another channel) and TOO_MANY_LINES; posting their "
        + "points, ALREADY_MIGRATED (the member's opening balance came over) and CHANGED.", example = """
        {"row": 17, "field": "phone", "code": "INVALID", "message": "must be an E.164 number such as +821012345678"}""")
public record ImportRowError(long row, String field, String code, String message) {

    static final String REQUIRED = "REQUIRED";
    static final String INVALID = "INVALID";
    static final String DUPLICATE_IN_FILE = "DUPLICATE_IN_FILE";
    static final String TOO_MANY_COLUMNS = "TOO_MANY_COLUMNS";
    static final String TOO_LONG = "TOO_LONG";
}
