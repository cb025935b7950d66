package io.pointsledger.partners;

import jakarta.validation.constraints.Max;
import jakarta.validation.constraints.NotBlank;
import jakarta.validation.constraints.NotEmpty;
import jakarta.validation.constraints.NotNull;
import jakarta.validation.constraints.Positive;
import jakarta.validation.constraints.Size;
import java.util.Set;
import org.eclipse.microprofile.openapi.annotations.media.Schema;

/** A new partner channel and what its contract allows. */
@Schema(example = """
        {"name": "Card Co rewards", "scopes": ["earn", "read"], "rateLimitPerSecond": 200}""")
public record CreatePartnerRequest(
        @NotBlank @Size(max = 100) String name,
        @NotEmpty Set<@NotNull Scope> scopes,
        @NotNull @Positive @Max(RATE_LIMIT_PER_SECOND_MAX) Integer rateLimitPerSecond) {

    /** Far above what one service instance serves, so a limit is a contract, not a ceiling. */
    public static final int RATE_LIMIT_PER_SECOND_MAX = 100_000;
}
