package io.pointsledger.rewards;

import io.pointsledger.platform.ApiLimits;
import io.pointsledger.tiers.Tier;
import jakarta.validation.Valid;
import jakarta.validation.constraints.Max;
import jakarta.validation.constraints.Min;
import jakarta.validation.constraints.NotBlank;
import jakarta.validation.constraints.NotNull;
import jakarta.validation.constraints.Pattern;
import jakarta.validation.constraints.Positive;
import jakarta.validation.constraints.PositiveOrZero;
import jakarta.validation.constraints.Size;
import java.time.OffsetDateTime;
import java.util.List;
import java.util.Map;
import org.eclipse.microprofile.openapi.annotations.media.Schema;

/**
 * A reward as the operator writes it: what it is and looks like (for a front-end), what it costs,
 * how many there are, who may claim it, when, how many each, and who hands it over.
 */
@Schema(example = """
        {"kind": "EXPERIENCE", "name": "Winter collection preview evening", "description": "Drinks and a first look",
         "imageUrls": ["https://cdn.shop.example/rewards/preview.jpg"], "points": 3000, "pointsByTier": {"GOLD": 2000},
         "eligibility": {"tiers": ["SILVER", "GOLD"]}, "stock": 40, "perMemberLimit": 1,
         "availableFrom": "2026-12-01T00:00:00+09:00", "availableUntil": null,
         "event": {"startsAt": "2026-12-18T19:00:00+09:00", "venue": "Seoul flagship store, 3rd floor",
                   "cancellableUntil": "2026-12-17T18:00:00+09:00"},
         "fulfilmentPartnerId": null}""")
public record RewardRequest(
        @NotNull RewardKind kind,
        @NotBlank @Size(max = ApiLimits.NAME_LENGTH_MAX) String name,
        @Schema(nullable = true) @Size(max = ApiLimits.DESCRIPTION_LENGTH_MAX) String description,
        @Schema(nullable = true, description = "Pictures for a front-end, https URLs")
        @Size(max = IMAGES_MAX) List<@NotNull @Size(max = IMAGE_URL_LENGTH_MAX) @Pattern(regexp = "^https://[^\\s]+$",
                message = "must be an https URL") String> imageUrls,
        @Schema(description = "The price in points") @NotNull @Positive @Max(ApiLimits.TRANSFER_POINTS_MAX) Long points,
        @Schema(nullable = true, description = "A tier's own price, where it differs")
        Map<@NotNull Tier, @NotNull @Positive @Max(ApiLimits.TRANSFER_POINTS_MAX) Long> pointsByTier,
        @Schema(nullable = true, description = "Left out: every member") @Valid RewardEligibility eligibility,
        @Schema(nullable = true, description = "Units (an EXPERIENCE: seats) for sale; left out: no limit (not for an "
                + "EXPERIENCE). Changed later only through the stock endpoint")
        @PositiveOrZero @Max(STOCK_MAX) Long stock,
        @Schema(nullable = true, description = "Claims one member may hold at once (cancelled ones do not count)")
        @Min(1) @Max(PER_MEMBER_LIMIT_MAX) Integer perMemberLimit,
        @Schema(nullable = true, description = "From when (inclusive)") OffsetDateTime availableFrom,
        @Schema(nullable = true, description = "Until when (exclusive)") OffsetDateTime availableUntil,
        @Schema(nullable = true, description = "An EXPERIENCE's date and place; required for one, refused for the others")
        @Valid RewardEvent event,
        @Schema(nullable = true, description = "The partner that hands it over and marks claims fulfilled")
        @Size(min = 1, max = ApiLimits.PARTNER_ID_LENGTH_MAX) String fulfilmentPartnerId) {

    public static final int IMAGES_MAX = 5;
    public static final int IMAGE_URL_LENGTH_MAX = 500;
    public static final long STOCK_MAX = 1_000_000_000L;
    public static final int PER_MEMBER_LIMIT_MAX = 1_000;

    List<String> imageUrlsOrNone() {
        return imageUrls == null ? List.of() : imageUrls;
    }

    Map<Tier, Long> pointsByTierOrNone() {
        return pointsByTier == null ? Map.of() : pointsByTier;
    }
}
