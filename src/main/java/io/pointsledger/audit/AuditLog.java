package io.pointsledger.audit;

import io.pointsledger.platform.ApiLimits;
import io.pointsledger.platform.Paging;
import io.smallrye.mutiny.Uni;
import io.vertx.core.json.JsonObject;
import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.mutiny.sqlclient.Row;
import io.vertx.mutiny.sqlclient.SqlClient;
import io.vertx.mutiny.sqlclient.Tuple;
import jakarta.enterprise.context.ApplicationScoped;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * The append-only audit log. Actions are recorded on the caller's own connection, inside the
 * transaction of the action itself, so an action and its audit entry commit or fail together.
 */
@ApplicationScoped
public class AuditLog {

    private static final String RECORD = """
            INSERT INTO audit_log (actor, api_key_id, action, target, details) VALUES ($1, $2, $3, $4, $5)""";

    private static final String PAGE = """
            SELECT sequence, occurred_at, actor, api_key_id, action, target, details
              FROM audit_log WHERE sequence < $1 ORDER BY sequence DESC LIMIT $2""";

    private static final String CURSOR_LIST = "audit";
    private static final int PAGE_SIZE_DEFAULT = 50;

    private final Pool pool;

    AuditLog(Pool pool) {
        this.pool = pool;
    }

    /** Appends an entry using {@code transaction}, the connection the action itself runs on. */
    public Uni<Void> record(SqlClient transaction, AuditActor actor, AuditAction action, String target, Map<String, Object> details) {
        return transaction.preparedQuery(RECORD)
                .execute(Tuple.of(actor.partnerId(), actor.apiKeyId(), action.name(), target, new JsonObject(details)))
                .replaceWithVoid();
    }

    /** Entries newest first. Fails with VALIDATION_FAILED for a bad cursor or limit. */
    public Uni<AuditPage> page(String cursor, String limit) {
        int pageSize = Paging.pageSize(limit, PAGE_SIZE_DEFAULT, ApiLimits.HISTORY_PAGE_SIZE_MAX);
        long before = Paging.decodeCursor(CURSOR_LIST, cursor);
        return pool.preparedQuery(PAGE).execute(Tuple.of(before, pageSize + 1)).map(rows -> {
            List<AuditEntry> entries = new ArrayList<>();
            for (Row row : rows) {
                entries.add(new AuditEntry(row.getLong("sequence"), row.getOffsetDateTime("occurred_at"),
                        row.getString("actor"), row.getUUID("api_key_id"), AuditAction.valueOf(row.getString("action")), row.getString("target"),
                        row.getJsonObject("details").getMap()));
            }
            boolean more = entries.size() > pageSize;
            List<AuditEntry> page = more ? entries.subList(0, pageSize) : entries;
            String next = more ? Paging.encodeCursor(CURSOR_LIST, page.get(page.size() - 1).sequence()) : null;
            return new AuditPage(List.copyOf(page), next);
        });
    }
}
