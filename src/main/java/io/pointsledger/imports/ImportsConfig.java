package io.pointsledger.imports;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;
import jakarta.validation.constraints.Max;
import jakarta.validation.constraints.Min;
import jakarta.validation.constraints.Pattern;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Optional;

/** Bulk imports: where their files are, how they are read and committed, and list sizes. */
@ConfigMapping(prefix = "points-ledger.imports")
public interface ImportsConfig {

    /**
     * The directory the files to import are put in (by hand, SFTP, a shared volume): a request
     * names a file in it, never a path. Every instance that may run an import must see it.
     */
    Path directory();

    /** Largest file imported. */
    @WithDefault("2G")
    io.quarkus.runtime.configuration.MemorySize fileBytesMax();

    /** Rows per transaction: the unit of progress, and what a restart reads again at most. */
    @WithDefault("1000")
    @Min(1)
    @Max(CHUNK_ROWS_MAX)
    int chunkRows();

    int CHUNK_ROWS_MAX = 10_000;

    /**
     * Rows an import may read a second, 0 for as fast as the machine goes. An import shares the
     * database with the tills: on two cores, one at full speed cut the earn rate by two thirds
     * (README, Imports), so an import during opening hours should be paced.
     */
    @WithDefault("0")
    @Min(0)
    int rowsPerSecondMax();

    /** How long an instance holds the job it runs without renewing; a stopped instance's job is taken over after it. */
    @WithDefault("PT1M")
    Duration lease();

    /**
     * Country calling codes (82, 1) a workbook's phone written as a number may begin with: a
     * spreadsheet program turns +821012345678 into the number 821012345678, and such a number is
     * read back with its '+' only when it begins with one of these. A number that begins with none
     * (a local number whose leading 0 was lost too) is refused rather than guessed. None by default.
     */
    Optional<List<@Pattern(regexp = "^[1-9][0-9]{0,2}$") String>> workbookPhoneCountryCodes();

    /** How often each instance looks for an import whose lease lapsed, to take it over (read by ImportJobs' schedule). */
    @WithDefault("PT10S")
    Duration jobInterval();

    @WithDefault("50")
    @Min(1)
    @Max(PAGE_SIZE_MAX)
    int pageSizeDefault();

    int PAGE_SIZE_MAX = 1000;
}
