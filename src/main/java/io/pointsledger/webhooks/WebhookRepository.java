package io.pointsledger.webhooks;

import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.mutiny.sqlclient.Row;
import io.vertx.mutiny.sqlclient.RowSet;
import io.vertx.mutiny.sqlclient.SqlClient;
import io.vertx.mutiny.sqlclient.Tuple;
import jakarta.enterprise.context.ApplicationScoped;
import java.time.Duration;
import java.time.OffsetDateTime;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.EnumSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;

/** All SQL about webhooks, their secrets and their deliveries. Times are PostgreSQL's, so instances' clocks need not agree. */
@ApplicationScoped
public class WebhookRepository {

    /**
     * The partner row locked until commit, so that two concurrent creations cannot both pass the
     * count. The count is a statement of its own, after the lock: a subquery of the locking
     * statement would read a snapshot taken before the wait for the lock, without the webhook the
     * other creation just committed.
     */
    private static final String LOCK_PARTNER = "SELECT scopes FROM partners WHERE partner_id = $1 FOR UPDATE";

    private static final String COUNT_WEBHOOKS = "SELECT count(*) FROM webhooks WHERE partner_id = $1";

    private static final String INSERT_WEBHOOK = """
            INSERT INTO webhooks (webhook_id, partner_id, url, event_types, description)
            VALUES ($1, $2, $3, $4, $5) RETURNING created_at""";

    private static final String INSERT_SECRET = """
            INSERT INTO webhook_secrets (secret_id, webhook_id, ciphertext, prefix) VALUES ($1, $2, $3, $4) RETURNING created_at""";

    /** A partner's webhooks (or one) with the secrets that still sign. */
    private static final String FIND = """
            SELECT w.webhook_id, w.partner_id, w.url, w.event_types, w.description, w.created_at,
                   s.secret_id, s.prefix, s.created_at AS secret_created_at, s.expires_at
              FROM webhooks w
              LEFT JOIN webhook_secrets s ON s.webhook_id = w.webhook_id AND (s.expires_at IS NULL OR s.expires_at > now())
             WHERE w.partner_id = $1 AND ($2::uuid IS NULL OR w.webhook_id = $2)
             ORDER BY w.created_at, w.webhook_id, s.created_at""";

    private static final String DELETE_WEBHOOK = "DELETE FROM webhooks WHERE partner_id = $1 AND webhook_id = $2 RETURNING url";

    /** The webhook row locked until commit: its secret changes and replays one at a time. */
    private static final String LOCK_WEBHOOK = "SELECT 1 FROM webhooks WHERE partner_id = $1 AND webhook_id = $2 FOR UPDATE";

    /** Read after the lock, in a statement of its own, so that it sees what the change before this one committed. */
    private static final String SECRETS_SIGNING = """
            SELECT secret_id, expires_at FROM webhook_secrets WHERE webhook_id = $1 AND (expires_at IS NULL OR expires_at > now())""";

    private static final String RETIRE_CURRENT_SECRET = """
            UPDATE webhook_secrets SET expires_at = now() + make_interval(secs => $2)
             WHERE webhook_id = $1 AND expires_at IS NULL""";

    private static final String EXPIRE_SECRET = """
            UPDATE webhook_secrets SET expires_at = now()
             WHERE webhook_id = $1 AND secret_id = $2 AND expires_at > now()""";

    private static final String SECRET_EXISTS = "SELECT 1 FROM webhook_secrets WHERE webhook_id = $1 AND secret_id = $2";

    private static final String DELIVERY_COLUMNS = """
            d.sequence, d.delivery_id, d.webhook_id, d.event_id, e.event_type, d.status, d.attempts, d.next_attempt_at,
            d.retry_until, d.last_attempt_at, d.last_status_code, d.last_error, d.created_at, d.delivered_at""";

    private static final String DELIVERIES = """
            SELECT %s
              FROM webhook_deliveries d JOIN webhook_events e USING (event_id)
             WHERE d.webhook_id = $1 AND d.sequence < $2 AND ($3::text IS NULL OR d.status = $3)
             ORDER BY d.sequence DESC LIMIT $4""".formatted(DELIVERY_COLUMNS);

    /** Tried again from now, with a whole retry window and the back-off from its start. */
    private static final String REPLAY_ONE = """
            WITH replayed AS (
                UPDATE webhook_deliveries SET status = 'PENDING', attempts = 0, next_attempt_at = now(),
                       retry_until = now() + make_interval(secs => $3), delivered_at = NULL, claim_token = NULL
                 WHERE webhook_id = $1 AND delivery_id = $2
                RETURNING *)
            SELECT %s FROM replayed d JOIN webhook_events e USING (event_id)""".formatted(DELIVERY_COLUMNS);

    private static final String REPLAY_DEAD = """
            WITH candidates AS (
                SELECT sequence FROM webhook_deliveries
                 WHERE webhook_id = $1 AND status = 'DEAD' AND created_at >= $2
                 ORDER BY sequence LIMIT $4 + 1),
            replayed AS (
                UPDATE webhook_deliveries SET status = 'PENDING', attempts = 0, next_attempt_at = now(),
                       retry_until = now() + make_interval(secs => $3), claim_token = NULL
                 WHERE sequence IN (SELECT sequence FROM candidates ORDER BY sequence LIMIT $4) AND status = 'DEAD'
                RETURNING 1)
            SELECT (SELECT count(*) FROM replayed) AS replayed, (SELECT count(*) FROM candidates) AS candidates""";

    private static final String SUBSCRIBED_EVENT_TYPES = "SELECT DISTINCT unnest(event_types) FROM webhooks";

    /**
     * One statement per delivered batch of events: each event some webhook wants is stored once,
     * and a delivery made for each webhook that wants it. A partner's own event goes to that
     * partner's webhooks; a member's event (no partner) to every webhook subscribed to its type,
     * which only a partner allowed to read members could be (checked when the webhook is made).
     * An event delivered again finds its rows there and adds nothing.
     */
    private static final String ENQUEUE = """
            WITH incoming AS (
                SELECT * FROM unnest($1::uuid[], $2::text[], $3::text[], $4::text[]) AS e (event_id, event_type, partner_id, payload)),
            matched AS (
                SELECT e.event_id, w.webhook_id FROM incoming e JOIN webhooks w
                    ON e.event_type = ANY (w.event_types) AND (e.partner_id IS NULL OR e.partner_id = w.partner_id)),
            stored AS (
                INSERT INTO webhook_events (event_id, event_type, payload)
                SELECT e.event_id, e.event_type, e.payload FROM incoming e WHERE e.event_id IN (SELECT event_id FROM matched)
                ON CONFLICT (event_id) DO NOTHING)
            INSERT INTO webhook_deliveries (delivery_id, webhook_id, event_id, retry_until)
            SELECT md5(m.webhook_id::text || ':' || m.event_id::text)::uuid, m.webhook_id, m.event_id,
                   now() + make_interval(secs => $5)
              FROM matched m
            ON CONFLICT (webhook_id, event_id) DO NOTHING""";

    /** The webhooks with deliveries due, in random order (each one probe of the due index), at most {@code $1}. */
    private static final String DUE_WEBHOOKS = """
            SELECT w.webhook_id FROM webhooks w
             WHERE EXISTS (SELECT 1 FROM webhook_deliveries d
                            WHERE d.webhook_id = w.webhook_id AND d.status = 'PENDING' AND d.next_attempt_at <= now())
             ORDER BY random() LIMIT $1""";

    /**
     * Claims the oldest due deliveries of one webhook: each is out of other instances' reach until
     * its lease, when it is due again if this instance never reported how the attempt went. The
     * claim token marks this attempt: an outcome is recorded only by the attempt holding the claim.
     * The locked rows are updated by their physical address (ctid, stable while locked): joined on
     * their key, a cached generic plan may hash a scan of the whole table for every claim.
     */
    private static final String CLAIM_DUE = """
            WITH due AS (
                SELECT ctid FROM webhook_deliveries
                 WHERE webhook_id = $3 AND status = 'PENDING' AND next_attempt_at <= now()
                 ORDER BY next_attempt_at LIMIT $1 FOR UPDATE SKIP LOCKED)
            UPDATE webhook_deliveries d
               SET next_attempt_at = now() + make_interval(secs => $2), attempts = d.attempts + 1, last_attempt_at = now(),
                   claim_token = $4
              FROM webhooks w, webhook_events e
             WHERE d.ctid = ANY (ARRAY(SELECT ctid FROM due)) AND w.webhook_id = d.webhook_id AND e.event_id = d.event_id
            RETURNING d.delivery_id, d.webhook_id, d.event_id, d.attempts, w.url, e.event_type, e.payload""";

    private static final String SIGNING_SECRETS = """
            SELECT webhook_id, ciphertext FROM webhook_secrets
             WHERE webhook_id = ANY ($1) AND (expires_at IS NULL OR expires_at > now())
             ORDER BY webhook_id, created_at DESC""";

    /**
     * How each attempt went: delivered, or due again after its back-off, or DEAD when that would
     * fall past its retry window. A delivery claimed again meanwhile (its claim lapsed, or it was
     * replayed) is left to the attempt that holds it now.
     */
    private static final String RECORD_OUTCOMES = """
            UPDATE webhook_deliveries d
               SET status = CASE WHEN o.delivered THEN 'DELIVERED'
                                 WHEN now() + make_interval(secs => o.backoff_seconds) > d.retry_until THEN 'DEAD'
                                 ELSE 'PENDING' END,
                   delivered_at = CASE WHEN o.delivered THEN now() END,
                   next_attempt_at = CASE WHEN o.delivered THEN d.next_attempt_at
                                          ELSE now() + make_interval(secs => o.backoff_seconds) END,
                   last_status_code = o.status_code,
                   last_error = o.error
              FROM unnest($1::uuid[], $2::boolean[], $3::integer[], $4::text[], $5::float8[])
                   AS o (delivery_id, delivered, status_code, error, backoff_seconds)
             WHERE d.delivery_id = ANY ($1::uuid[]) AND d.delivery_id = o.delivery_id AND d.status = 'PENDING'
               AND d.claim_token = $6
            RETURNING d.status""";

    private static final String PENDING_COUNT = """
            SELECT count(*) FROM (SELECT 1 FROM webhook_deliveries WHERE status = 'PENDING' LIMIT $1) pending""";

    private static final String PURGE_SETTLED = """
            WITH old AS (
                SELECT delivery_id FROM webhook_deliveries
                 WHERE status <> 'PENDING' AND last_attempt_at < now() - make_interval(secs => $1) LIMIT $2)
            DELETE FROM webhook_deliveries d USING old WHERE d.delivery_id = old.delivery_id""";

    private static final String PURGE_UNREFERENCED_EVENTS = """
            WITH old AS (
                SELECT e.event_id FROM webhook_events e
                 WHERE e.created_at < now() - make_interval(secs => $1)
                   AND NOT EXISTS (SELECT 1 FROM webhook_deliveries d WHERE d.event_id = e.event_id)
                 LIMIT $2)
            DELETE FROM webhook_events e USING old WHERE e.event_id = old.event_id""";

    private final Pool pool;

    WebhookRepository(Pool pool) {
        this.pool = pool;
    }

    /** The partner's scopes and webhook count, its row locked; empty when there is no such partner. */
    record LockedPartner(Set<String> scopes, long webhooks) {
    }

    Uni<Optional<LockedPartner>> lockPartner(SqlClient transaction, String partnerId) {
        return transaction.preparedQuery(LOCK_PARTNER).execute(Tuple.of(partnerId)).flatMap(rows -> {
            if (rows.size() == 0) {
                return Uni.createFrom().item(Optional.<LockedPartner>empty());
            }
            Set<String> scopes = Set.of(rows.iterator().next().getArrayOfStrings("scopes"));
            return transaction.preparedQuery(COUNT_WEBHOOKS).execute(Tuple.of(partnerId))
                    .map(count -> Optional.of(new LockedPartner(scopes, count.iterator().next().getLong(0))));
        });
    }

    Uni<OffsetDateTime> insertWebhook(SqlClient transaction, UUID webhookId, String partnerId, String url,
            Set<WebhookEventType> eventTypes, String description) {
        String[] types = eventTypes.stream().map(Enum::name).sorted().toArray(String[]::new);
        return transaction.preparedQuery(INSERT_WEBHOOK)
                .execute(Tuple.from(Arrays.asList(webhookId, partnerId, url, types, description)))
                .map(rows -> rows.iterator().next().getOffsetDateTime(0));
    }

    Uni<OffsetDateTime> insertSecret(SqlClient transaction, UUID secretId, UUID webhookId, String ciphertext, String prefix) {
        return transaction.preparedQuery(INSERT_SECRET).execute(Tuple.of(secretId, webhookId, ciphertext, prefix))
                .map(rows -> rows.iterator().next().getOffsetDateTime(0));
    }

    Uni<List<Webhook>> list(String partnerId) {
        return pool.preparedQuery(FIND).execute(Tuple.of(partnerId, null)).map(WebhookRepository::toWebhooks);
    }

    Uni<Optional<Webhook>> find(SqlClient client, String partnerId, UUID webhookId) {
        return client.preparedQuery(FIND).execute(Tuple.of(partnerId, webhookId))
                .map(rows -> toWebhooks(rows).stream().findFirst());
    }

    Uni<Optional<Webhook>> find(String partnerId, UUID webhookId) {
        return find(pool, partnerId, webhookId);
    }

    /** The URL of the webhook deleted, with its secrets and deliveries; empty when there was none. */
    Uni<Optional<String>> delete(SqlClient transaction, String partnerId, UUID webhookId) {
        return transaction.preparedQuery(DELETE_WEBHOOK).execute(Tuple.of(partnerId, webhookId))
                .map(rows -> rows.size() == 0 ? Optional.empty() : Optional.of(rows.iterator().next().getString("url")));
    }

    /** A webhook's secrets still signing, by id with their expiry (null: the current one); empty when there is no such webhook. */
    Uni<Optional<Map<UUID, Optional<OffsetDateTime>>>> lockSecrets(SqlClient transaction, String partnerId, UUID webhookId) {
        return transaction.preparedQuery(LOCK_WEBHOOK).execute(Tuple.of(partnerId, webhookId)).flatMap(locked -> {
            if (locked.size() == 0) {
                return Uni.createFrom().item(Optional.<Map<UUID, Optional<OffsetDateTime>>>empty());
            }
            return transaction.preparedQuery(SECRETS_SIGNING).execute(Tuple.of(webhookId)).map(rows -> {
                Map<UUID, Optional<OffsetDateTime>> secrets = new LinkedHashMap<>();
                rows.forEach(row -> secrets.put(row.getUUID("secret_id"), Optional.ofNullable(row.getOffsetDateTime("expires_at"))));
                return Optional.of(secrets);
            });
        });
    }

    Uni<Void> retireCurrentSecret(SqlClient transaction, UUID webhookId, Duration overlap) {
        return transaction.preparedQuery(RETIRE_CURRENT_SECRET).execute(Tuple.of(webhookId, seconds(overlap))).replaceWithVoid();
    }

    Uni<Void> expireSecret(SqlClient transaction, UUID webhookId, UUID secretId) {
        return transaction.preparedQuery(EXPIRE_SECRET).execute(Tuple.of(webhookId, secretId)).replaceWithVoid();
    }

    Uni<Boolean> secretExists(SqlClient transaction, UUID webhookId, UUID secretId) {
        return transaction.preparedQuery(SECRET_EXISTS).execute(Tuple.of(webhookId, secretId)).map(rows -> rows.size() > 0);
    }

    /** A page of deliveries below {@code beforeSequence}, newest first, one more than asked when there are more. */
    Uni<List<SequencedDelivery>> deliveries(UUID webhookId, long beforeSequence, WebhookDeliveryStatus status, int count) {
        return pool.preparedQuery(DELIVERIES)
                .execute(Tuple.of(webhookId, beforeSequence, status == null ? null : status.name(), count))
                .map(rows -> {
                    List<SequencedDelivery> page = new ArrayList<>();
                    rows.forEach(row -> page.add(new SequencedDelivery(row.getLong("sequence"), toDelivery(row))));
                    return page;
                });
    }

    record SequencedDelivery(long sequence, WebhookDelivery delivery) {
    }

    Uni<Optional<WebhookDelivery>> replay(SqlClient transaction, UUID webhookId, UUID deliveryId, Duration retryWindow) {
        return transaction.preparedQuery(REPLAY_ONE).execute(Tuple.of(webhookId, deliveryId, seconds(retryWindow)))
                .map(rows -> rows.size() == 0 ? Optional.empty() : Optional.of(toDelivery(rows.iterator().next())));
    }

    Uni<ReplayResult> replayDead(SqlClient transaction, UUID webhookId, OffsetDateTime since, Duration retryWindow, int max) {
        return transaction.preparedQuery(REPLAY_DEAD).execute(Tuple.of(webhookId, since, seconds(retryWindow), max))
                .map(rows -> {
                    Row row = rows.iterator().next();
                    long replayed = row.getLong("replayed");
                    return new ReplayResult((int) replayed, row.getLong("candidates") > replayed);
                });
    }

    Uni<Set<WebhookEventType>> subscribedEventTypes() {
        return pool.query(SUBSCRIBED_EVENT_TYPES).execute().map(rows -> {
            Set<WebhookEventType> types = EnumSet.noneOf(WebhookEventType.class);
            rows.forEach(row -> types.add(WebhookEventType.valueOf(row.getString(0))));
            return types;
        });
    }

    /** An event as the consumer read it, with the id webhooks know it by. */
    record IncomingEvent(UUID eventId, WebhookEventType type, String partnerId, String payload) {
    }

    Uni<Void> enqueue(List<IncomingEvent> events, Duration retryWindow) {
        UUID[] ids = events.stream().map(IncomingEvent::eventId).toArray(UUID[]::new);
        String[] types = events.stream().map(event -> event.type().name()).toArray(String[]::new);
        String[] partners = events.stream().map(IncomingEvent::partnerId).toArray(String[]::new);
        String[] payloads = events.stream().map(IncomingEvent::payload).toArray(String[]::new);
        return pool.preparedQuery(ENQUEUE).execute(Tuple.of(ids, types, partners, payloads, seconds(retryWindow))).replaceWithVoid();
    }

    /** A delivery claimed for one attempt. */
    record ClaimedDelivery(UUID deliveryId, UUID webhookId, UUID eventId, int attempts, String url, String eventType, String payload) {
    }

    /** Webhooks with deliveries due, in random order, at most {@code count}. */
    Uni<List<UUID>> dueWebhooks(int count) {
        return pool.preparedQuery(DUE_WEBHOOKS).execute(Tuple.of(count)).map(rows -> {
            List<UUID> webhooks = new ArrayList<>();
            rows.forEach(row -> webhooks.add(row.getUUID(0)));
            return webhooks;
        });
    }

    Uni<List<ClaimedDelivery>> claimDue(UUID webhookId, int count, Duration lease, UUID claimToken) {
        return pool.preparedQuery(CLAIM_DUE).execute(Tuple.of(count, seconds(lease), webhookId, claimToken)).map(rows -> {
            List<ClaimedDelivery> claimed = new ArrayList<>();
            for (Row row : rows) {
                claimed.add(new ClaimedDelivery(row.getUUID("delivery_id"), row.getUUID("webhook_id"), row.getUUID("event_id"),
                        row.getInteger("attempts"), row.getString("url"), row.getString("event_type"), row.getString("payload")));
            }
            return claimed;
        });
    }

    /** Encrypted secrets still signing, newest first, by webhook. */
    Uni<Map<UUID, List<String>>> signingSecrets(List<UUID> webhookIds) {
        return pool.preparedQuery(SIGNING_SECRETS).execute(Tuple.of(webhookIds.toArray(UUID[]::new))).map(rows -> {
            Map<UUID, List<String>> secrets = new LinkedHashMap<>();
            rows.forEach(row -> secrets.computeIfAbsent(row.getUUID("webhook_id"), id -> new ArrayList<>()).add(row.getString("ciphertext")));
            return secrets;
        });
    }

    /** How one attempt went; {@code backoff} is the wait before the next, if it failed. */
    record Outcome(UUID deliveryId, boolean delivered, Integer statusCode, String error, Duration backoff) {
    }

    /** The statuses the deliveries of one claim took (those claimed again meanwhile are not among them). */
    Uni<List<WebhookDeliveryStatus>> recordOutcomes(UUID claimToken, List<Outcome> outcomes) {
        Tuple arguments = Tuple.of(
                outcomes.stream().map(Outcome::deliveryId).toArray(UUID[]::new),
                outcomes.stream().map(Outcome::delivered).toArray(Boolean[]::new),
                outcomes.stream().map(Outcome::statusCode).toArray(Integer[]::new),
                outcomes.stream().map(Outcome::error).toArray(String[]::new),
                outcomes.stream().map(outcome -> seconds(outcome.backoff())).toArray(Double[]::new),
                claimToken);
        return pool.preparedQuery(RECORD_OUTCOMES).execute(arguments).map(rows -> {
            List<WebhookDeliveryStatus> statuses = new ArrayList<>();
            rows.forEach(row -> statuses.add(WebhookDeliveryStatus.valueOf(row.getString(0))));
            return statuses;
        });
    }

    Uni<Long> pendingCount(long countMax) {
        return pool.preparedQuery(PENDING_COUNT).execute(Tuple.of(countMax)).map(rows -> rows.iterator().next().getLong(0));
    }

    /** Deletes up to {@code count} deliveries settled (last tried) longer ago than {@code retention}; how many it deleted. */
    Uni<Integer> purgeSettled(Duration retention, int count) {
        return pool.preparedQuery(PURGE_SETTLED).execute(Tuple.of(seconds(retention), count)).map(RowSet::rowCount);
    }

    Uni<Integer> purgeUnreferencedEvents(Duration retention, int count) {
        return pool.preparedQuery(PURGE_UNREFERENCED_EVENTS).execute(Tuple.of(seconds(retention), count)).map(RowSet::rowCount);
    }

    private static double seconds(Duration duration) {
        return duration.toMillis() / 1000.0;
    }

    private static List<Webhook> toWebhooks(RowSet<Row> rows) {
        Map<UUID, Row> firstRows = new LinkedHashMap<>();
        Map<UUID, List<Webhook.SecretView>> secrets = new LinkedHashMap<>();
        for (Row row : rows) {
            UUID webhookId = row.getUUID("webhook_id");
            firstRows.putIfAbsent(webhookId, row);
            List<Webhook.SecretView> views = secrets.computeIfAbsent(webhookId, id -> new ArrayList<>());
            if (row.getUUID("secret_id") != null) {
                views.add(new Webhook.SecretView(row.getUUID("secret_id").toString(), row.getString("prefix"),
                        row.getOffsetDateTime("secret_created_at"), row.getOffsetDateTime("expires_at")));
            }
        }
        List<Webhook> webhooks = new ArrayList<>();
        firstRows.forEach((webhookId, row) -> webhooks.add(new Webhook(webhookId.toString(), row.getString("partner_id"),
                row.getString("url"), Arrays.stream(row.getArrayOfStrings("event_types")).map(WebhookEventType::valueOf).toList(),
                row.getString("description"), row.getOffsetDateTime("created_at"), List.copyOf(secrets.get(webhookId)))));
        return webhooks;
    }

    private static WebhookDelivery toDelivery(Row row) {
        WebhookDeliveryStatus status = WebhookDeliveryStatus.valueOf(row.getString("status"));
        return new WebhookDelivery(row.getUUID("delivery_id").toString(), row.getUUID("webhook_id").toString(),
                row.getUUID("event_id").toString(), WebhookEventType.valueOf(row.getString("event_type")), status,
                row.getInteger("attempts"), status == WebhookDeliveryStatus.PENDING ? row.getOffsetDateTime("next_attempt_at") : null,
                row.getOffsetDateTime("retry_until"), row.getOffsetDateTime("last_attempt_at"), row.getInteger("last_status_code"),
                row.getString("last_error"), row.getOffsetDateTime("created_at"), row.getOffsetDateTime("delivered_at"));
    }
}
