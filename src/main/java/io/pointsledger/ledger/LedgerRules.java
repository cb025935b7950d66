package io.pointsledger.ledger;

import io.pointsledger.program.ProgramConfig;
import io.vertx.core.json.JsonObject;

/**
 * The program's rules in the form {@code ledger_post} applies them. The earn multiplier depends
 * on the tier of the locked account row, and the reversal policy on the balance under that lock,
 * so both are decided in the database, in the same round trip.
 */
final class LedgerRules {

    private LedgerRules() {
    }

    static JsonObject of(ProgramConfig program) {
        ProgramConfig.Multipliers multipliers = program.multiplierBasisPoints();
        return new JsonObject()
                .put("minorUnitsPerPoint", program.minorUnitsPerPoint())
                .put("multiplierBasisPoints", new JsonObject()
                        .put("BASIC", multipliers.basic())
                        .put("SILVER", multipliers.silver())
                        .put("GOLD", multipliers.gold()))
                .put("reversalPolicy", program.reversalPolicy().name())
                .put("expiringWindowDays", program.expiringWindowDays())
                .put("timeZone", program.timeZone().getId());
    }
}
