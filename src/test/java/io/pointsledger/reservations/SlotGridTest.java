package io.pointsledger.reservations;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.pointsledger.platform.ProblemException;
import java.time.DayOfWeek;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.time.LocalTime;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The slot grid: the starts availability lists are exactly those a booking may name, and no slot wraps past midnight. */
class SlotGridTest {

    private static final LocalDate MONDAY = LocalDate.of(2030, 1, 7);

    @Test
    void shouldOfferExactlyTheStartsItLists() {
        SlotGrid grid = new SlotGrid(List.of(new OpeningHours(DayOfWeek.MONDAY, LocalTime.of(9, 0), LocalTime.of(10, 40))), 30);

        List<LocalDateTime> starts = grid.starts(MONDAY);

        assertEquals(List.of(MONDAY.atTime(9, 0), MONDAY.atTime(9, 30), MONDAY.atTime(10, 0)), starts);
        starts.forEach(start -> assertTrue(grid.offers(start), start.toString()));
        assertFalse(grid.offers(MONDAY.atTime(10, 30)), "would end after closing");
        assertFalse(grid.offers(MONDAY.atTime(9, 15)), "off the grid");
        assertFalse(grid.offers(MONDAY.atTime(9, 0, 30)), "not a whole minute");
        assertFalse(grid.offers(MONDAY.plusDays(1).atTime(9, 0)), "closed on Tuesday");
    }

    @Test
    void shouldRefuseASlotLongerThanTheOpeningRatherThanWrapPastMidnight() {
        SlotGrid wholeDay = new SlotGrid(List.of(new OpeningHours(DayOfWeek.MONDAY, LocalTime.of(0, 0), LocalTime.of(23, 45))), 1440);

        assertThrows(ProblemException.class, wholeDay::validate);
        assertEquals(List.of(), wholeDay.starts(MONDAY));
        assertFalse(wholeDay.offers(MONDAY.atStartOfDay()));
    }

    @Test
    void shouldRefuseHoursOfSecondsAndOverlappingOpenings() {
        assertThrows(ProblemException.class, () -> new SlotGrid(List.of(new OpeningHours(DayOfWeek.MONDAY, LocalTime.of(9, 0, 30),
                LocalTime.of(12, 0))), 30).validate());
        assertThrows(ProblemException.class, () -> new SlotGrid(List.of(new OpeningHours(DayOfWeek.MONDAY, LocalTime.of(9, 0),
                LocalTime.of(12, 0)), new OpeningHours(DayOfWeek.MONDAY, LocalTime.of(11, 0), LocalTime.of(13, 0))), 30).validate());
    }
}
