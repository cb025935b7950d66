package io.pointsledger.ledger;

import java.time.LocalDate;
import org.eclipse.microprofile.openapi.annotations.media.Schema;

/** Points that stop being valid after {@code date} (in the program's time zone). */
@Schema(example = """
        {"date": "2027-01-31", "points": 200}""")
public record ExpiringPoints(LocalDate date, long points) {
}
