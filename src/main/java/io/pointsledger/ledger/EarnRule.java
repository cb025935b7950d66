package io.pointsledger.ledger;

import io.pointsledger.program.ProgramConfig;
import io.vertx.core.json.JsonObject;

/**
 * The program's earn rule in the form {@code ledger_post} applies it: integer minor units per
 * point and per-tier multipliers in basis points. Applied in the database because the multiplier
 * depends on the tier of the locked account row.
 */
record EarnRule(long minorUnitsPerPoint, long basicBasisPoints, long silverBasisPoints, long goldBasisPoints) {

    static EarnRule of(ProgramConfig program) {
        ProgramConfig.Multipliers multipliers = program.multiplierBasisPoints();
        return new EarnRule(program.minorUnitsPerPoint(), multipliers.basic(), multipliers.silver(), multipliers.gold());
    }

    JsonObject asJson() {
        return new JsonObject()
                .put("minorUnitsPerPoint", minorUnitsPerPoint)
                .put("multiplierBasisPoints", new JsonObject()
                        .put("BASIC", basicBasisPoints)
                        .put("SILVER", silverBasisPoints)
                        .put("GOLD", goldBasisPoints));
    }
}
