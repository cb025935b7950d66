package io.pointsledger.donations;

import io.pointsledger.ledger.SalesChannel;
import io.pointsledger.platform.ApiLimits;
import jakarta.validation.constraints.Max;
import jakarta.validation.constraints.NotNull;
import jakarta.validation.constraints.Positive;
import java.util.UUID;
import org.eclipse.microprofile.openapi.annotations.media.Schema;

/** Points a member gives to a cause. */
@Schema(example = """
        {"causeId": "0193a1b0-2222-7e5f-8a9b-0c1d2e3f4a5b", "points": 500, "channel": "ONLINE"}""")
public record DonationRequest(
        @NotNull UUID causeId,
        @NotNull @Positive @Max(ApiLimits.TRANSFER_POINTS_MAX) Long points,
        @NotNull SalesChannel channel) {
}
