package io.pointsledger.communication;

import io.smallrye.mutiny.Uni;
import io.vertx.core.json.JsonObject;
import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.mutiny.sqlclient.Row;
import io.vertx.mutiny.sqlclient.SqlClient;
import io.vertx.mutiny.sqlclient.Tuple;
import jakarta.enterprise.context.ApplicationScoped;
import java.time.Duration;
import java.time.LocalTime;
import java.time.OffsetDateTime;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;

/** All SQL about messages to members: who can be reached, the delivery log, claims and outcomes. */
@ApplicationScoped
public class MessageRepository {

    /** A member's preferences and granted channels, the way planning reads them. */
    private static final String REACHABILITY = """
            p.preferred_channel, p.quiet_from, p.quiet_until,
            ARRAY(SELECT c.channel FROM member_contact_consents c WHERE c.member_id = m.member_id AND c.granted) AS consented""";

    /**
     * The next members after {@code $1}. The key's bound is repeated on every table joined: the
     * merge join of a cached generic plan otherwise reads accounts and preferences from their
     * first row to {@code $1} on every batch, so planning a million members took ever longer per
     * batch (600 ms a batch halfway through, against 45 ms with the bound).
     */
    private static final String RECIPIENTS_AFTER = """
            SELECT m.member_id, %s
              FROM members m JOIN member_accounts a ON a.member_id = m.member_id AND a.member_id > $1
              LEFT JOIN member_contact_preferences p ON p.member_id = m.member_id AND p.member_id > $1
             WHERE m.member_id > $1 AND m.erased_at IS NULL AND ($2::text[] IS NULL OR a.tier = ANY($2))
             ORDER BY m.member_id LIMIT $3""".formatted(REACHABILITY);

    private static final String RECIPIENTS_OF = """
            SELECT m.member_id, %s
              FROM members m LEFT JOIN member_contact_preferences p ON p.member_id = m.member_id
             WHERE m.member_id = ANY($1) AND m.erased_at IS NULL""".formatted(REACHABILITY);

    /**
     * A message planned twice (an event delivered again, a batch planned again) is written once;
     * and a source that already has messages for a member gets none more, even on other channels
     * (the member changed their preferences before the event came again). The ANY condition gives
     * the planner the members' index to look in, rather than an anti-join over the whole table.
     */
    private static final String INSERT = """
            INSERT INTO member_messages (message_id, member_id, channel, kind, source_id, announcement_id, payload,
                                         next_attempt_at, retry_until)
            SELECT id, member_id, channel, kind, source_id, announcement_id, payload::jsonb, deliver_at,
                   deliver_at + make_interval(secs => $9)
              FROM unnest($1::uuid[], $2::uuid[], $3::text[], $4::text[], $5::uuid[], $6::uuid[], $7::text[], $8::timestamptz[])
                   AS planned (id, member_id, channel, kind, source_id, announcement_id, payload, deliver_at)
             WHERE NOT EXISTS (SELECT 1 FROM member_messages earlier
                                WHERE earlier.member_id = ANY ($2::uuid[])
                                  AND earlier.member_id = planned.member_id AND earlier.source_id = planned.source_id)
            ON CONFLICT DO NOTHING""";

    /**
     * Claims the channel's oldest due messages within their retry window, skipping those another
     * instance holds, and reads with each what it takes to send it: the announcement's text, and
     * whether the member still consents to the channel (a consent withdrawn after planning stops
     * the message here) and their quiet hours now. A claim is a HOT update: none of the columns it sets is indexed.
     *
     * <p>The locked rows are updated by their physical address (ctid, stable while locked): joined
     * on their key instead, the cached generic plan hashed a scan of the whole table for every
     * claim, which made a million-message announcement halve the earn rate.
     */
    private static final String CLAIM = """
            WITH due AS (
                SELECT ctid FROM member_messages
                 WHERE channel = $1 AND status = 'PENDING' AND next_attempt_at <= now() AND retry_until > now()
                   AND (claimed_until IS NULL OR claimed_until <= now())
                 ORDER BY next_attempt_at LIMIT $2
                   FOR UPDATE SKIP LOCKED
            ), claimed AS (
                UPDATE member_messages m
                   SET claim_token = $3, attempts = m.attempts + 1, claimed_until = now() + make_interval(secs => $4)
                 WHERE m.ctid = ANY (ARRAY(SELECT ctid FROM due))
                RETURNING m.message_id, m.member_id, m.kind, m.payload, m.announcement_id, m.attempts
            )
            SELECT c.*, a.contents, a.default_language, a.status = 'CANCELLED' AS cancelled,
                   COALESCE(consent.granted, false) AS consented, preferences.quiet_from, preferences.quiet_until
              FROM claimed c
              LEFT JOIN announcements a ON a.announcement_id = c.announcement_id
              LEFT JOIN member_contact_consents consent ON consent.member_id = c.member_id AND consent.channel = $1
              LEFT JOIN member_contact_preferences preferences ON preferences.member_id = c.member_id""";

    /**
     * Fails due messages past their retry window (their claims lapsed, say, until it ended), so
     * that no message is tried for ever. It reads the whole due backlog, so it runs on a timer,
     * not with every claim.
     */
    private static final String FAIL_EXPIRED = """
            UPDATE member_messages m
               SET status = 'FAILED', settled_at = now(), claim_token = NULL, claimed_until = NULL,
                   last_error = 'its retry window ended'
             WHERE m.ctid = ANY (ARRAY(SELECT ctid FROM member_messages
                                        WHERE status = 'PENDING' AND retry_until <= now() AND next_attempt_at <= now()
                                          AND (claimed_until IS NULL OR claimed_until <= now())
                                        LIMIT $1 FOR UPDATE SKIP LOCKED))""";

    /**
     * Records how each attempt went, for the claim that made it only: a claim that lapsed and was
     * taken again is the new claim's to record. A failure whose next attempt would fall after the
     * retry window is final. The ANY conditions give the planner the primary key to find the rows
     * by, whatever it estimates of the unnest.
     */
    private static final String RECORD = """
            UPDATE member_messages m
               SET status = CASE WHEN o.status = 'PENDING' AND now() + make_interval(secs => o.wait_seconds) > m.retry_until THEN 'FAILED' ELSE o.status END,
                   next_attempt_at = CASE WHEN o.status = 'PENDING' THEN now() + make_interval(secs => o.wait_seconds) ELSE m.next_attempt_at END,
                   settled_at = CASE WHEN o.status = 'PENDING' AND now() + make_interval(secs => o.wait_seconds) <= m.retry_until THEN NULL ELSE now() END,
                   last_error = o.error, claim_token = NULL, claimed_until = NULL
              FROM unnest($1::uuid[], $2::uuid[], $3::text[], $4::float8[], $5::text[])
                   AS o (member_id, message_id, status, wait_seconds, error)
             WHERE m.member_id = ANY ($1::uuid[]) AND m.message_id = ANY ($2::uuid[])
               AND m.member_id = o.member_id AND m.message_id = o.message_id AND m.claim_token = $6 AND m.status = 'PENDING'
            RETURNING m.status""";

    private static final String MESSAGE_COLUMNS = """
            sequence, message_id, member_id, channel, kind, announcement_id, status, attempts, next_attempt_at, last_error,
            created_at, settled_at""";

    private static final String OF_MEMBER = "SELECT " + MESSAGE_COLUMNS + " " + """
             FROM member_messages WHERE member_id = $1 AND sequence < $2 ORDER BY sequence DESC LIMIT $3""";

    private static final String OF_ANNOUNCEMENT = "SELECT " + MESSAGE_COLUMNS + " " + """
             FROM member_messages WHERE announcement_id = $1 AND ($2::text IS NULL OR status = $2) AND sequence < $3
             ORDER BY sequence DESC LIMIT $4""";

    private static final String REPORT = """
            SELECT channel, status, count(*) AS messages FROM member_messages WHERE announcement_id = $1 GROUP BY channel, status""";

    private static final String SKIP_CANCELLED = """
            UPDATE member_messages m
               SET status = 'SKIPPED', settled_at = now(), last_error = 'the announcement was cancelled', claim_token = NULL,
                   claimed_until = NULL
             WHERE m.ctid = ANY (ARRAY(SELECT ctid FROM member_messages
                                        WHERE announcement_id = $1 AND status = 'PENDING'
                                          AND (claimed_until IS NULL OR claimed_until <= now())
                                        LIMIT $2 FOR UPDATE SKIP LOCKED))""";

    private static final String PURGE_SETTLED = """
            DELETE FROM member_messages
             WHERE ctid = ANY (ARRAY(SELECT ctid FROM member_messages
                                      WHERE status <> 'PENDING' AND settled_at < now() - make_interval(secs => $1)
                                      LIMIT $2 FOR UPDATE SKIP LOCKED))""";

    /** An announcement's messages not yet sent, on each channel given, counted up to $3 each (an index range). */
    private static final String PENDING_OF_ANNOUNCEMENT = """
            SELECT c.channel,
                   (SELECT count(*) FROM (SELECT 1 FROM member_messages m
                                           WHERE m.announcement_id = $1 AND m.status = 'PENDING' AND m.channel = c.channel
                                           LIMIT $3) pending) AS pending
              FROM unnest($2::text[]) AS c (channel)""";

    /** The channels an announcement has messages not yet sent on. */
    private static final String CHANNELS_PENDING = """
            SELECT c.channel FROM unnest(ARRAY['EMAIL', 'SMS', 'PUSH']) AS c (channel)
             WHERE EXISTS (SELECT 1 FROM member_messages m
                            WHERE m.announcement_id = $1 AND m.status = 'PENDING' AND m.channel = c.channel)""";

    private static final String PENDING = """
            SELECT channel, count(*) AS messages
              FROM (SELECT channel FROM member_messages WHERE status = 'PENDING' LIMIT $1) pending GROUP BY channel""";

    /**
     * Below every member id: PostgreSQL orders uuids by their bytes, so the nil uuid comes first (no
     * member has it). A bound that is never null keeps the keyset an index range scan: "$1 IS NULL
     * OR member_id > $1" made the generic plan read every member for every batch.
     */
    private static final UUID FIRST_MEMBER_BOUND = new UUID(0, 0);

    private final Pool pool;

    MessageRepository(Pool pool) {
        this.pool = pool;
    }

    public Pool pool() {
        return pool;
    }

    /** A member planning reads: who, their preferences and the channels they consent to now. */
    public record Recipient(UUID memberId, ContactPreferences preferences) {
    }

    /** A page of the audience in member id order: members after {@code after} (null: from the start), of {@code tiers} (null: all). */
    public Uni<List<Recipient>> recipientsAfter(SqlClient client, UUID after, List<String> tiers, int limit) {
        return client.preparedQuery(RECIPIENTS_AFTER)
                .execute(Tuple.of(after == null ? FIRST_MEMBER_BOUND : after,
                        tiers == null ? null : tiers.toArray(String[]::new), limit))
                .map(rows -> recipients(rows));
    }

    /** Those of {@code memberIds} who exist and are not erased. */
    public Uni<List<Recipient>> recipientsOf(SqlClient client, List<UUID> memberIds) {
        return client.preparedQuery(RECIPIENTS_OF).execute(Tuple.of(memberIds.toArray(UUID[]::new))).map(rows -> recipients(rows));
    }

    private static List<Recipient> recipients(Iterable<Row> rows) {
        List<Recipient> recipients = new ArrayList<>();
        for (Row row : rows) {
            UUID memberId = row.getUUID("member_id");
            List<ChannelConsent> consents = new ArrayList<>();
            for (String channel : row.getArrayOfStrings("consented")) {
                consents.add(new ChannelConsent(ContactChannel.valueOf(channel), true, null, null));
            }
            String preferred = row.getString("preferred_channel");
            LocalTime quietFrom = row.getLocalTime("quiet_from");
            QuietHours quietHours = quietFrom == null ? null : new QuietHours(quietFrom, row.getLocalTime("quiet_until"));
            recipients.add(new Recipient(memberId, new ContactPreferences(memberId, consents,
                    preferred == null ? null : ContactChannel.valueOf(preferred), quietHours, null, 0)));
        }
        return recipients;
    }

    /** Writes the messages not yet written; answers how many were new. */
    public Uni<Integer> insert(SqlClient client, List<PlannedMessage> messages, Duration retryWindow) {
        if (messages.isEmpty()) {
            return Uni.createFrom().item(0);
        }
        int size = messages.size();
        UUID[] ids = new UUID[size];
        UUID[] members = new UUID[size];
        String[] channels = new String[size];
        String[] kinds = new String[size];
        UUID[] sources = new UUID[size];
        UUID[] announcements = new UUID[size];
        String[] payloads = new String[size];
        OffsetDateTime[] deliverAt = new OffsetDateTime[size];
        for (int index = 0; index < size; index++) {
            PlannedMessage message = messages.get(index);
            ids[index] = message.messageId();
            members[index] = message.memberId();
            channels[index] = message.channel().name();
            kinds[index] = message.kind().name();
            sources[index] = message.sourceId();
            announcements[index] = message.announcementId();
            payloads[index] = message.payload() == null ? null : message.payload().encode();
            deliverAt[index] = message.deliverAt();
        }
        return client.preparedQuery(INSERT).execute(Tuple.from(new Object[] {ids, members, channels, kinds, sources, announcements,
                        payloads, deliverAt, seconds(retryWindow)}))
                .map(result -> result.rowCount());
    }

    /** A claimed message and what it takes to send it. */
    record Claimed(UUID messageId, UUID memberId, MessageKind kind, JsonObject payload, UUID announcementId, int attempts,
            JsonObject announcementContents, String announcementLanguage, boolean announcementCancelled, boolean consented,
            QuietHours quietHours) {
    }

    Uni<List<Claimed>> claimDue(ContactChannel channel, int limit, Duration lease, UUID claimToken) {
        return pool.preparedQuery(CLAIM).execute(Tuple.of(channel.name(), limit, claimToken, seconds(lease))).map(rows -> {
            List<Claimed> claimed = new ArrayList<>();
            for (Row row : rows) {
                claimed.add(new Claimed(row.getUUID("message_id"), row.getUUID("member_id"), MessageKind.valueOf(row.getString("kind")),
                        row.getJsonObject("payload"), row.getUUID("announcement_id"), row.getInteger("attempts"),
                        row.getJsonObject("contents"), row.getString("default_language"), Boolean.TRUE.equals(row.getBoolean("cancelled")),
                        row.getBoolean("consented"), ContactPreferencesRepository.quietHours(row)));
            }
            return claimed;
        });
    }

    /** Fails up to {@code limit} due messages whose retry window ended; answers how many. */
    Uni<Integer> failExpired(int limit) {
        return pool.preparedQuery(FAIL_EXPIRED).execute(Tuple.of(limit)).map(result -> result.rowCount());
    }

    /** How an attempt went: SENT, SKIPPED, FAILED (for good), or PENDING (failed, tried again after {@code wait}). */
    record Outcome(UUID memberId, UUID messageId, MessageStatus status, Duration retryAfter, String error) {
    }

    /** The statuses the outcomes left their messages in; none for a claim that lapsed and was taken again. */
    Uni<List<MessageStatus>> record(UUID claimToken, List<Outcome> outcomes) {
        int size = outcomes.size();
        UUID[] members = new UUID[size];
        UUID[] ids = new UUID[size];
        String[] statuses = new String[size];
        Double[] waits = new Double[size];
        String[] errors = new String[size];
        for (int index = 0; index < size; index++) {
            Outcome outcome = outcomes.get(index);
            members[index] = outcome.memberId();
            ids[index] = outcome.messageId();
            statuses[index] = outcome.status().name();
            waits[index] = seconds(outcome.retryAfter());
            errors[index] = outcome.error();
        }
        return pool.preparedQuery(RECORD).execute(Tuple.of(members, ids, statuses, waits, errors, claimToken)).map(rows -> {
            List<MessageStatus> recorded = new ArrayList<>();
            rows.forEach(row -> recorded.add(MessageStatus.valueOf(row.getString("status"))));
            return recorded;
        });
    }

    /** A claimed message held back, untried, until {@code until}: the member's quiet hours began after it was planned. */
    record Deferral(UUID memberId, UUID messageId, OffsetDateTime until) {
    }

    /**
     * Puts claimed messages back, untried (the claim's attempt does not count), due when the
     * member's quiet hours end, their retry window longer by as much (the wait is no one's
     * failure): for the claim that took them only, like {@link #RECORD}.
     */
    private static final String DEFER = """
            UPDATE member_messages m
               SET next_attempt_at = o.until, attempts = m.attempts - 1, claim_token = NULL, claimed_until = NULL,
                   retry_until = m.retry_until + GREATEST(o.until - now(), interval '0')
              FROM unnest($1::uuid[], $2::uuid[], $3::timestamptz[]) AS o (member_id, message_id, until)
             WHERE m.member_id = ANY ($1::uuid[]) AND m.message_id = ANY ($2::uuid[])
               AND m.member_id = o.member_id AND m.message_id = o.message_id AND m.claim_token = $4 AND m.status = 'PENDING'""";

    Uni<Void> defer(UUID claimToken, List<Deferral> deferrals) {
        if (deferrals.isEmpty()) {
            return Uni.createFrom().voidItem();
        }
        return pool.preparedQuery(DEFER).execute(Tuple.of(deferrals.stream().map(Deferral::memberId).toArray(UUID[]::new),
                deferrals.stream().map(Deferral::messageId).toArray(UUID[]::new),
                deferrals.stream().map(Deferral::until).toArray(OffsetDateTime[]::new), claimToken)).replaceWithVoid();
    }

    Uni<List<MemberMessage>> ofMember(UUID memberId, long before, int limit) {
        return pool.preparedQuery(OF_MEMBER).execute(Tuple.of(memberId, before, limit)).map(MessageRepository::messages);
    }

    public Uni<List<MemberMessage>> ofAnnouncement(UUID announcementId, MessageStatus status, long before, int limit) {
        return pool.preparedQuery(OF_ANNOUNCEMENT)
                .execute(Tuple.of(announcementId, status == null ? null : status.name(), before, limit))
                .map(MessageRepository::messages);
    }

    /**
     * Skips up to {@code limit} of a cancelled announcement's messages not yet sent (nor in
     * flight); answers how many. The dispatcher skips any it claims meanwhile as well.
     */
    Uni<Integer> skipCancelled(UUID announcementId, int limit) {
        return pool.preparedQuery(SKIP_CANCELLED).execute(Tuple.of(announcementId, limit)).map(result -> result.rowCount());
    }

    /** How many of the announcement's messages are not yet sent on each of {@code channels}, counted up to {@code countMax}. */
    Uni<Map<ContactChannel, Long>> pendingOfAnnouncement(UUID announcementId, java.util.Collection<ContactChannel> channels,
            long countMax) {
        return pool.preparedQuery(PENDING_OF_ANNOUNCEMENT)
                .execute(Tuple.of(announcementId, channels.stream().map(Enum::name).toArray(String[]::new), countMax))
                .map(rows -> {
                    Map<ContactChannel, Long> pending = new EnumMap<>(ContactChannel.class);
                    rows.forEach(row -> pending.put(ContactChannel.valueOf(row.getString("channel")), row.getLong("pending")));
                    return pending;
                });
    }

    Uni<List<ContactChannel>> channelsPending(UUID announcementId) {
        return pool.preparedQuery(CHANNELS_PENDING).execute(Tuple.of(announcementId)).map(rows -> {
            List<ContactChannel> channels = new ArrayList<>();
            rows.forEach(row -> channels.add(ContactChannel.valueOf(row.getString("channel"))));
            return channels;
        });
    }

    /** Deletes up to {@code limit} messages settled longer ago than {@code retention}; answers how many. */
    Uni<Integer> purgeSettled(Duration retention, int limit) {
        return pool.preparedQuery(PURGE_SETTLED).execute(Tuple.of(seconds(retention), limit)).map(result -> result.rowCount());
    }

    /** Messages of an announcement by channel and status. */
    public Uni<Map<ContactChannel, Map<MessageStatus, Long>>> report(UUID announcementId) {
        return pool.preparedQuery(REPORT).execute(Tuple.of(announcementId)).map(rows -> {
            Map<ContactChannel, Map<MessageStatus, Long>> report = new EnumMap<>(ContactChannel.class);
            for (Row row : rows) {
                report.computeIfAbsent(ContactChannel.valueOf(row.getString("channel")), channel -> new EnumMap<>(MessageStatus.class))
                        .put(MessageStatus.valueOf(row.getString("status")), row.getLong("messages"));
            }
            return report;
        });
    }

    /** Pending messages by channel, counted up to {@code countMax} in all. */
    Uni<Map<ContactChannel, Long>> pending(long countMax) {
        return pool.preparedQuery(PENDING).execute(Tuple.of(countMax)).map(rows -> {
            Map<ContactChannel, Long> pending = new EnumMap<>(ContactChannel.class);
            rows.forEach(row -> pending.put(ContactChannel.valueOf(row.getString("channel")), row.getLong("messages")));
            return pending;
        });
    }

    private static List<MemberMessage> messages(Iterable<Row> rows) {
        List<MemberMessage> messages = new ArrayList<>();
        for (Row row : rows) {
            messages.add(new MemberMessage(row.getLong("sequence"), row.getUUID("message_id"), row.getUUID("member_id"),
                    ContactChannel.valueOf(row.getString("channel")), MessageKind.valueOf(row.getString("kind")),
                    row.getUUID("announcement_id"), MessageStatus.valueOf(row.getString("status")), row.getInteger("attempts"),
                    "PENDING".equals(row.getString("status")) ? row.getOffsetDateTime("next_attempt_at") : null,
                    row.getString("last_error"), row.getOffsetDateTime("created_at"),
                    row.getOffsetDateTime("settled_at")));
        }
        return messages;
    }

    /** Seconds, to millisecond precision, for make_interval. */
    private static double seconds(Duration duration) {
        return duration.toMillis() / 1000.0;
    }
}
