package io.pointsledger.reports;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.time.LocalDate;
import java.time.OffsetDateTime;
import java.time.ZoneId;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/** The days a report reads: those of its period the rollups hold, whole or in slices, and no others. */
class ReportDaySourceTest {

    private static final ZoneId SEOUL = ZoneId.of("Asia/Seoul");

    private static final LocalDate FIRST = LocalDate.parse("2026-11-01");

    /** The rollups hold 1 November to 29 November 10:00 in Seoul: 28 days as a whole, then slices of the 29th. */
    private static final Optional<ReportRepository.RolledRun> SLICED = Optional.of(new ReportRepository.RolledRun(FIRST,
            LocalDate.parse("2026-11-28"), OffsetDateTime.parse("2026-11-29T10:00:00+09:00")));

    @Test
    void shouldReadThePartlyRolledUpDayFromItsSlices() {
        ReportRepository.DaySource source = ReportService.source(LocalDate.parse("2026-11-20"), LocalDate.parse("2026-11-30"), SLICED, SEOUL);

        assertEquals(new ReportRepository.DaySource(LocalDate.parse("2026-11-20"), LocalDate.parse("2026-11-30")), source);
    }

    @Test
    void shouldNotReadThePartlyRolledUpDayForAPeriodEndingBeforeIt() {
        ReportRepository.DaySource source = ReportService.source(LocalDate.parse("2026-11-20"), LocalDate.parse("2026-11-29"), SLICED, SEOUL);

        assertEquals(new ReportRepository.DaySource(LocalDate.parse("2026-11-20"), LocalDate.parse("2026-11-29")), source);
    }

    @Test
    void shouldReadNothingOfAPeriodAfterWhatTheRollupsHold() {
        ReportRepository.DaySource source = ReportService.source(LocalDate.parse("2026-11-30"), LocalDate.parse("2026-12-02"), SLICED, SEOUL);

        assertEquals(source.from(), source.to());
    }

    @Test
    void shouldReadWholeDaysUpToTheFirstNotHeldWhenNoSliceGoesOnFromThem() {
        Optional<ReportRepository.RolledRun> whole = Optional.of(new ReportRepository.RolledRun(FIRST, LocalDate.parse("2026-11-28"),
                OffsetDateTime.parse("2026-11-29T00:00:00+09:00")));

        ReportRepository.DaySource source = ReportService.source(LocalDate.parse("2026-10-25"), LocalDate.parse("2026-12-01"), whole, SEOUL);

        assertEquals(new ReportRepository.DaySource(FIRST, LocalDate.parse("2026-11-29")), source);
    }

    @Test
    void shouldReadNothingBeforeAnythingIsRolledUp() {
        ReportRepository.DaySource source = ReportService.source(LocalDate.parse("2026-11-20"), LocalDate.parse("2026-11-30"), Optional.empty(),
                SEOUL);

        assertEquals(source.from(), source.to());
    }
}
