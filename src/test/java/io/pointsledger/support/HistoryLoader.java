package io.pointsledger.support;

import io.pointsledger.support.RetailPurchases.Invoice;
import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.mutiny.sqlclient.Tuple;
import java.time.Duration;
import java.time.OffsetDateTime;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;

/**
 * Puts real invoices into the purchase history of enrolled members, as an import without posted
 * points leaves them (the import itself is tested elsewhere; this is the fast way to a large,
 * real history for what learns from it).
 */
public final class HistoryLoader {

    private static final int ROWS_PER_STATEMENT = 1_000;
    private static final String INSERT = """
            INSERT INTO purchase_history (member_id, order_id, purchase_id, occurred_at, amount_minor_units, channel, items,
                                          import_job_id, first_row)
            SELECT member_id, order_id, gen_random_uuid(), occurred_at, amount, 'ONLINE', '[]'::jsonb, $5, 2
              FROM unnest($1::uuid[], $2::text[], $3::timestamptz[], $4::bigint[]) AS i (member_id, order_id, occurred_at, amount)""";

    private HistoryLoader() {
    }

    /** Enrolls one member per customer of the invoices and records their invoices; the member of each customer. */
    public static Map<String, UUID> load(Pool pool, List<Invoice> invoices) {
        Map<String, UUID> members = new HashMap<>();
        invoices.forEach(invoice -> members.computeIfAbsent(invoice.customer(), customer -> LedgerApi.enroll()));
        UUID importJob = UUID.randomUUID();
        for (int from = 0; from < invoices.size(); from += ROWS_PER_STATEMENT) {
            List<Invoice> chunk = invoices.subList(from, Math.min(invoices.size(), from + ROWS_PER_STATEMENT));
            pool.preparedQuery(INSERT).execute(Tuple.of(
                            chunk.stream().map(invoice -> members.get(invoice.customer())).toArray(UUID[]::new),
                            chunk.stream().map(Invoice::invoice).toArray(String[]::new),
                            chunk.stream().map(Invoice::occurredAt).toArray(OffsetDateTime[]::new),
                            chunk.stream().map(Invoice::amountMinorUnits).toArray(Long[]::new),
                            importJob))
                    .await().atMost(Duration.ofSeconds(60));
        }
        return members;
    }

    /** Records purchases of {@code amountEach} at {@code times} for an enrolled member, as an import without points leaves them. */
    public static void record(Pool pool, UUID memberId, List<OffsetDateTime> times, long amountEach) {
        pool.preparedQuery(INSERT).execute(Tuple.of(
                        times.stream().map(time -> memberId).toArray(UUID[]::new),
                        times.stream().map(time -> "order-" + UUID.randomUUID()).toArray(String[]::new),
                        times.toArray(OffsetDateTime[]::new),
                        times.stream().map(time -> amountEach).toArray(Long[]::new),
                        UUID.randomUUID()))
                .await().atMost(Duration.ofSeconds(60));
    }
}
