package io.pointsledger.segments;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;
import jakarta.validation.constraints.Max;
import jakarta.validation.constraints.Min;
import java.time.Duration;

/** How members' segment attributes are measured and segments listed. */
@ConfigMapping(prefix = "points-ledger.segments")
public interface SegmentsConfig {

    /** Frequency and monetary value count the purchases of this many days before a run's day; the active base bought in them. */
    @WithDefault("365")
    @Min(7)
    @Max(3650)
    int windowDays();

    /** Members measured per statement by a run: bounds each statement's time and memory. */
    @WithDefault("5000")
    @Min(10)
    @Max(20_000)
    int runPageSize();

    /**
     * How often an instance looks for the day's run to do: the first look after midnight (program
     * time) starts it, a later one finds it done, or resumes a run whose instance stopped.
     */
    @WithDefault("10m")
    Duration runInterval();

    /** An open run whose instance has not advanced it for this long is taken over by another. */
    @WithDefault("10m")
    Duration runTakeOverAfter();

    /** A run taken over more often than this is closed as failed, so that one that always fails does not block the next. */
    @WithDefault("5")
    @Min(1)
    @Max(100)
    int runTakeoversMax();

    /** How long the write path keeps a segment's rule parsed: a rule changed applies to campaigns within this time. */
    @WithDefault("5s")
    Duration ruleCacheTime();

    /**
     * How long the members counted for reports narrowed to a segment are read before they are
     * counted again (SegmentSnapshots): a report says when they were counted. A rule changed is
     * counted again when saved, or at the next report, whatever this is.
     */
    @WithDefault("15m")
    Duration snapshotMaxAge();

    /** How often an instance counts again, ahead of the max age, the segments its reports read lately. */
    @WithDefault("1m")
    Duration snapshotRefreshInterval();

    /** A segment no report has read for this long is no longer counted ahead: the next report counts it (seconds at a million members). */
    @WithDefault("1h")
    Duration snapshotRefreshedWhileReadWithin();

    /**
     * Whether a segment created or changed is counted at once for reports, in the background, rather
     * than by the first report narrowed to it (which then waits: seconds at a million members).
     */
    @WithDefault("true")
    boolean countOnSave();

    /** How long counting a segment's members may take, past the pool's statement timeout (5 s): a million take seconds. */
    @WithDefault("2m")
    Duration snapshotStatementTimeout();

    @WithDefault("50")
    @Min(1)
    @Max(PAGE_SIZE_MAX)
    int pageSizeDefault();

    /** Segments, members of a segment and runs per page at most. */
    int PAGE_SIZE_MAX = 500;
}
