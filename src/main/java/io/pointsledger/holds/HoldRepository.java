package io.pointsledger.holds;

import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.mutiny.sqlclient.Row;
import io.vertx.mutiny.sqlclient.Tuple;
import jakarta.enterprise.context.ApplicationScoped;
import java.util.UUID;

/** Reads holds. They are written only by the ledger's write path, with their transfers. */
@ApplicationScoped
public class HoldRepository {

    private static final String FIND = """
            SELECT hold_id, member_id, partner_id, status, points, captured_points, expires_at, order_id
              FROM holds WHERE hold_id = $1""";

    private final Pool pool;

    HoldRepository(Pool pool) {
        this.pool = pool;
    }

    /** The hold and the partner that made it, or null. */
    Uni<OwnedHold> find(UUID holdId) {
        return pool.preparedQuery(FIND).execute(Tuple.of(holdId)).map(rows -> {
            if (rows.size() == 0) {
                return null;
            }
            Row row = rows.iterator().next();
            return new OwnedHold(row.getString("partner_id"), new HoldView(row.getUUID("hold_id"), row.getUUID("member_id"),
                    HoldStatus.valueOf(row.getString("status")), row.getLong("points"), row.getLong("captured_points"),
                    row.getOffsetDateTime("expires_at"), row.getString("order_id"), null, null, null, null));
        });
    }

    record OwnedHold(String partnerId, HoldView hold) {
    }
}
