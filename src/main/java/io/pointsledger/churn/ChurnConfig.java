package io.pointsledger.churn;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;
import jakarta.validation.constraints.Max;
import jakarta.validation.constraints.Min;
import java.time.Duration;

/** How churn models are trained and members scored. */
@ConfigMapping(prefix = "points-ledger.churn")
public interface ChurnConfig {

    /** Churn is no purchase within this many days. */
    @WithDefault("90")
    @Min(7)
    @Max(730)
    int horizonDays();

    /**
     * Training snapshots: the model learns from members as they stood this many days apart
     * before the last day whose horizon has passed (3 snapshots: three times the examples, and a
     * model less tied to one season).
     */
    @WithDefault("3")
    @Min(1)
    @Max(12)
    int trainingSnapshots();

    @WithDefault("30")
    @Min(1)
    @Max(365)
    int snapshotSpacingDays();

    /** Members read per snapshot at most (in member id order, which is random), bounding training memory. */
    @WithDefault("200000")
    @Min(100)
    @Max(2_000_000)
    int trainingMembersMax();

    /** Training examples needed, each class present, before a model is trained. */
    @WithDefault("20")
    @Min(2)
    @Max(100_000)
    int trainingMembersMin();

    /** The L2 penalty on the standardised weights. */
    @WithDefault("0.01")
    double l2Penalty();

    /** Members read and scored per statement, by training, evaluation and the nightly run. */
    @WithDefault("1000")
    @Min(10)
    @Max(10_000)
    int pageSize();

    /**
     * How often an instance looks for the day's scoring to do: the first look after midnight
     * (program time) claims the day, a later one finds it done, or resumes it if it stalled.
     */
    @WithDefault("10m")
    Duration scoringInterval();

    /**
     * The active base the model learns from and is judged on: members whose last purchase is at
     * most this many days before the day. One silent for longer is still scored, but is no
     * question for a model of the next 90 days.
     */
    @WithDefault("365")
    @Min(30)
    @Max(3650)
    int activeDays();

    /** A nightly run whose instance has not advanced for this long is taken over by another. */
    @WithDefault("10m")
    Duration scoringTakeOverAfter();

    @WithDefault("20")
    @Min(1)
    @Max(PAGE_SIZE_MAX)
    int modelsPageSizeDefault();

    int PAGE_SIZE_MAX = 100;
}
