package io.pointsledger.reservations;

import io.pointsledger.platform.ProblemException;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.time.LocalTime;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;

/**
 * Where a bookable's slots start on a day: from each opening of the day's weekday, every
 * {@code slotMinutes}, while the slot ends by the closing. Local times in the program's zone, in
 * whole minutes; the arithmetic is in minutes of the day, so that no slot wraps past midnight.
 */
record SlotGrid(List<OpeningHours> openingHours, int slotMinutes) {

    /** Refuses hours that are not whole minutes, close before a slot fits, or overlap another opening of the same day (VALIDATION_FAILED). */
    void validate() {
        for (int index = 0; index < openingHours.size(); index++) {
            OpeningHours hours = openingHours.get(index);
            if (!wholeMinute(hours.opens()) || !wholeMinute(hours.closes())) {
                throw ProblemException.invalid("openingHours[" + index + "]", "times in whole minutes, HH:MM");
            }
            if (minuteOf(hours.opens()) >= minuteOf(hours.closes())) {
                throw ProblemException.invalid("openingHours[" + index + "].closes", "must be after opens");
            }
            if (minuteOf(hours.opens()) + slotMinutes > minuteOf(hours.closes())) {
                throw ProblemException.invalid("openingHours[" + index + "]", "shorter than one slot of " + slotMinutes + " minutes");
            }
            for (int other = 0; other < index; other++) {
                OpeningHours earlier = openingHours.get(other);
                if (earlier.day() == hours.day() && hours.opens().isBefore(earlier.closes()) && earlier.opens().isBefore(hours.closes())) {
                    throw ProblemException.invalid("openingHours[" + index + "]", "overlaps openingHours[" + other + "]");
                }
            }
        }
    }

    /** The slots' starts on {@code day}, in order. */
    List<LocalDateTime> starts(LocalDate day) {
        List<LocalDateTime> starts = new ArrayList<>();
        openingHours.stream().filter(hours -> hours.day() == day.getDayOfWeek())
                .sorted(Comparator.comparing(OpeningHours::opens))
                .forEach(hours -> {
                    for (int minute = minuteOf(hours.opens()); minute + slotMinutes <= minuteOf(hours.closes()); minute += slotMinutes) {
                        starts.add(day.atStartOfDay().plusMinutes(minute));
                    }
                });
        return starts;
    }

    /** Whether a slot starts at {@code start}. */
    boolean offers(LocalDateTime start) {
        if (!wholeMinute(start.toLocalTime())) {
            return false;
        }
        int minute = minuteOf(start.toLocalTime());
        return openingHours.stream().anyMatch(hours -> hours.day() == start.getDayOfWeek() && minute >= minuteOf(hours.opens())
                && minute + slotMinutes <= minuteOf(hours.closes()) && (minute - minuteOf(hours.opens())) % slotMinutes == 0);
    }

    private static int minuteOf(LocalTime time) {
        return time.getHour() * 60 + time.getMinute();
    }

    private static boolean wholeMinute(LocalTime time) {
        return time.getSecond() == 0 && time.getNano() == 0;
    }
}
