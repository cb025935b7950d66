package io.pointsledger.reservations;

import io.pointsledger.platform.ProblemException;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.time.LocalTime;
import java.util.ArrayList;
import java.util.List;

/**
 * Where a bookable's slots start on a day: from each opening of the day's weekday, every
 * {@code slotMinutes}, while the slot ends by the closing. Local times in the program's zone.
 */
record SlotGrid(List<OpeningHours> openingHours, int slotMinutes) {

    /** Refuses hours that close before they open or overlap another opening of the same day (VALIDATION_FAILED). */
    void validate() {
        for (int index = 0; index < openingHours.size(); index++) {
            OpeningHours hours = openingHours.get(index);
            if (!hours.opens().isBefore(hours.closes())) {
                throw ProblemException.invalid("openingHours[" + index + "].closes", "must be after opens");
            }
            if (hours.opens().plusMinutes(slotMinutes).isAfter(hours.closes())
                    || hours.opens().plusMinutes(slotMinutes).isBefore(hours.opens())) {
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
                .sorted((first, second) -> first.opens().compareTo(second.opens()))
                .forEach(hours -> {
                    LocalDateTime start = day.atTime(hours.opens());
                    LocalDateTime closes = day.atTime(hours.closes());
                    while (!start.plusMinutes(slotMinutes).isAfter(closes)) {
                        starts.add(start);
                        start = start.plusMinutes(slotMinutes);
                    }
                });
        return starts;
    }

    /** Whether a slot starts at {@code start}. */
    boolean offers(LocalDateTime start) {
        LocalTime time = start.toLocalTime();
        return openingHours.stream().anyMatch(hours -> hours.day() == start.getDayOfWeek() && !time.isBefore(hours.opens())
                && !time.plusMinutes(slotMinutes).isAfter(hours.closes()) && !time.plusMinutes(slotMinutes).isBefore(time)
                && java.time.Duration.between(hours.opens(), time).toMinutes() % slotMinutes == 0
                && time.getSecond() == 0 && time.getNano() == 0);
    }
}
