package io.pointsledger.reports;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;
import jakarta.validation.constraints.Max;
import jakarta.validation.constraints.Min;
import java.time.Duration;

/** How the ledger is rolled up for reports, and how much one report covers. */
@ConfigMapping(prefix = "points-ledger.reports")
public interface ReportsConfig {

    /** How often an instance looks for days to roll up. */
    @WithDefault("1m")
    Duration rollupInterval();

    /**
     * How long after a day ends it is rolled up: a transfer is dated when its transaction begins,
     * so a transaction begun before midnight must have committed by then. Write transactions last
     * milliseconds; the database's statement timeout ends any far sooner than this.
     */
    @WithDefault("10m")
    Duration rollupDelay();

    /**
     * Whether this instance rolls the ledger up for reports (every instance may: they take turns,
     * one rollup at a time).
     */
    @WithDefault("true")
    boolean rollupsEnabled();

    /**
     * How often an instance rolls up the latest slice of today: a report reads from the transfers
     * only what came after the last slice, so at most sliceInterval + sliceDelay of them.
     */
    @WithDefault("10s")
    Duration sliceInterval();

    /**
     * How long after a transfer's recording time it is rolled up in a slice: its transaction must
     * have committed by then. A transfer is dated by the writing instance's clock when its batch is
     * taken; the batch may then wait for a connection, and a batch that fails is written again one
     * by one under the same date, each statement within the pool's statement timeout (5 s). One
     * committed later than this still is counted when its day is rolled up as a whole, and logged
     * then: today's reports miss it until then.
     */
    @WithDefault("2m")
    Duration sliceDelay();

    /**
     * How long each statement of a day's rollup, or of the sums of a segment's months, may take,
     * past the pool's statement timeout (5 s): a peak day's transfers, or years of a segment's
     * buyers, are read once, in the background.
     */
    @WithDefault("5m")
    Duration rollupStatementTimeout();

    /** Days one look rolls up at most, so that a first look at years of history is spread over many. */
    @WithDefault("31")
    @Min(1)
    @Max(366)
    int rollupDaysPerRun();

    /** The most days one report covers. */
    @WithDefault("366")
    @Min(1)
    @Max(3660)
    int periodDaysMax();

    /**
     * The longest period customers are ranked over: each day of it is a row per member who bought,
     * all summed per member (92 days of a 10-million-transfer year took 4 s on 2 cores; 31, a third).
     */
    @WithDefault("31")
    @Min(1)
    @Max(366)
    int salesCustomerPeriodDaysMax();

    /** The most products, categories or customers one sales report lists. */
    int SALES_ROWS_MAX = 500;

    /** The products, categories or customers a sales report lists when the limit is left out. */
    int SALES_ROWS_DEFAULT = 50;

    /**
     * The longest repurchase window the members report measures: the rollups note, per month and
     * member, the first purchase after the month's first one within the two months after it.
     */
    int REPURCHASE_DAYS_MAX = 31;

    /** The repurchase window when left out. */
    int REPURCHASE_DAYS_DEFAULT = 30;

    /**
     * Memory each sort or hash of a report narrowed to a segment may use (PostgreSQL's work_mem,
     * set for the report's transaction alone), in megabytes: the ids of half a million members
     * take 24 MB as a hash, and spill to disk in batches within the default 4 MB. A report runs
     * one statement at a time, with up to two parallel workers, each hash up to
     * hash_mem_multiplier (2) times this: size the database's memory for the narrowed reports
     * read at once.
     */
    @WithDefault("64")
    @Min(4)
    @Max(1024)
    int workMemoryMegabytes();

    /**
     * A snapshot of a segment that keeps the members it leaves out (most members admitted) does
     * not know members enrolled since its count: a report leaves them out by their ids, up to
     * this many; with more, the report counts the segment again first.
     */
    @WithDefault("10000")
    @Min(0)
    @Max(100_000)
    int segmentUnseenMembersMax();

    /**
     * The settled months (those no purchase can change any more) whose buyers are summed for each
     * count of a segment's members, back from the latest: the members report narrowed to the
     * segment reads them from the sums, and joins only the months after them with the segment's
     * members (a report that starts before them joins every month). 0: none summed.
     */
    @WithDefault("24")
    @Min(0)
    @Max(120)
    int segmentMonthsSummed();

    /** The days a report covers when the period is left out: these many, up to today. */
    @WithDefault("30")
    @Min(1)
    @Max(366)
    int periodDaysDefault();
}
