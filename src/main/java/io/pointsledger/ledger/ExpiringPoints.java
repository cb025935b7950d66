package io.pointsledger.ledger;

import java.time.LocalDate;

/** Points that stop being valid after {@code date} (in the program's time zone). */
public record ExpiringPoints(LocalDate date, long points) {
}
