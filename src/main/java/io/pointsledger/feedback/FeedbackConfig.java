package io.pointsledger.feedback;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;
import jakarta.validation.constraints.Max;
import jakarta.validation.constraints.Min;

/** How surveys are listed and reported. */
@ConfigMapping(prefix = "points-ledger.feedback")
public interface FeedbackConfig {

    /** Answers one report reads at most: a longer period, store or channel is refused, to be asked narrower. */
    @WithDefault("200000")
    @Min(100)
    @Max(5_000_000)
    int reportResponsesMax();

    /** A purchase or an attended reservation is answered about within this many days, and only one since the survey opened. */
    @WithDefault("30")
    @Min(1)
    @Max(365)
    int answerWindowDays();

    /**
     * A member is invited to one survey at most once in this many days, however often they buy
     * (each purchase or attendance is still answerable); 0 invites after every one.
     */
    @WithDefault("7")
    @Min(0)
    @Max(365)
    int invitationQuietDays();

    /** The longest period one report covers. */
    @WithDefault("366")
    @Min(1)
    @Max(3660)
    int reportDaysMax();

    @WithDefault("50")
    @Min(1)
    @Max(PAGE_SIZE_MAX)
    int pageSizeDefault();

    /** Surveys and text answers per page at most. */
    int PAGE_SIZE_MAX = 200;
}
