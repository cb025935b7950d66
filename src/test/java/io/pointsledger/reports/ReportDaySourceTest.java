package io.pointsledger.reports;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.time.LocalDate;
import java.time.OffsetDateTime;
import java.time.ZoneId;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/**
 * Where a report reads each day of its period: every instant of the period from exactly one place,
 * the rollups (days rolled up as a whole, then the slices of the last day) or the transfers.
 */
class ReportDaySourceTest {

    private static final ZoneId SEOUL = ZoneId.of("Asia/Seoul");

    private static final LocalDate FIRST = LocalDate.parse("2026-11-01");

    /** The rollups hold 1 November to 29 November 10:00 in Seoul: 28 days as a whole, then slices of the 29th. */
    private static final Optional<ReportRepository.RolledRun> SLICED = Optional.of(new ReportRepository.RolledRun(FIRST,
            LocalDate.parse("2026-11-28"), OffsetDateTime.parse("2026-11-29T10:00:00+09:00")));

    @Test
    void shouldReadThePartlyRolledUpDayFromItsSlicesAndTheRestOfItFromTheTransfers() {
        ReportRepository.DaySource source = ReportService.source(LocalDate.parse("2026-11-20"), LocalDate.parse("2026-11-30"), SLICED, SEOUL);

        assertEquals(LocalDate.parse("2026-11-20"), source.rolledFrom());
        assertEquals(LocalDate.parse("2026-11-30"), source.rolledTo(), "the 29th's rows: its slices");
        assertEquals(source.beforeFrom(), source.beforeTo(), "nothing before the rollups");
        assertEquals(OffsetDateTime.parse("2026-11-29T10:00:00+09:00"), source.afterFrom(), "the transfers after the last slice");
        assertEquals(OffsetDateTime.parse("2026-11-30T00:00:00+09:00"), source.afterTo());
    }

    @Test
    void shouldNotReadThePartlyRolledUpDayForAPeriodEndingBeforeIt() {
        ReportRepository.DaySource source = ReportService.source(LocalDate.parse("2026-11-20"), LocalDate.parse("2026-11-29"), SLICED, SEOUL);

        assertEquals(LocalDate.parse("2026-11-29"), source.rolledTo(), "the 29th's slices are not read");
        assertEquals(source.afterFrom(), source.afterTo(), "nor its transfers");
        assertEquals(OffsetDateTime.parse("2026-11-29T00:00:00+09:00"), source.afterTo());
    }

    @Test
    void shouldReadAPeriodAfterTheRollupsFromTheTransfersAlone() {
        ReportRepository.DaySource source = ReportService.source(LocalDate.parse("2026-11-30"), LocalDate.parse("2026-12-02"), SLICED, SEOUL);

        assertEquals(source.rolledFrom(), source.rolledTo(), "no rows");
        assertEquals(OffsetDateTime.parse("2026-11-30T00:00:00+09:00"), source.afterFrom());
        assertEquals(OffsetDateTime.parse("2026-12-02T00:00:00+09:00"), source.afterTo());
    }

    @Test
    void shouldReadWholeDaysAsBeforeWhenNoSliceGoesOnFromThem() {
        Optional<ReportRepository.RolledRun> whole = Optional.of(new ReportRepository.RolledRun(FIRST, LocalDate.parse("2026-11-28"),
                OffsetDateTime.parse("2026-11-29T00:00:00+09:00")));

        ReportRepository.DaySource source = ReportService.source(LocalDate.parse("2026-10-25"), LocalDate.parse("2026-12-01"), whole, SEOUL);

        assertEquals(FIRST, source.rolledFrom());
        assertEquals(LocalDate.parse("2026-11-29"), source.rolledTo());
        assertEquals(OffsetDateTime.parse("2026-10-25T00:00:00+09:00"), source.beforeFrom());
        assertEquals(OffsetDateTime.parse("2026-11-01T00:00:00+09:00"), source.beforeTo(), "the days before the rollups' first");
        assertEquals(OffsetDateTime.parse("2026-11-29T00:00:00+09:00"), source.afterFrom());
        assertEquals(OffsetDateTime.parse("2026-12-01T00:00:00+09:00"), source.afterTo());
    }

    @Test
    void shouldReadEverythingFromTheTransfersBeforeAnythingIsRolledUp() {
        ReportRepository.DaySource source = ReportService.source(LocalDate.parse("2026-11-20"), LocalDate.parse("2026-11-30"), Optional.empty(),
                SEOUL);

        assertEquals(source.rolledFrom(), source.rolledTo());
        assertEquals(OffsetDateTime.parse("2026-11-20T00:00:00+09:00"), source.beforeFrom());
        assertEquals(OffsetDateTime.parse("2026-11-30T00:00:00+09:00"), source.beforeTo());
        assertEquals(source.afterFrom(), source.afterTo());
    }
}
