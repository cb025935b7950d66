package io.pointsledger.communication;

import io.pointsledger.tiers.Tier;
import io.smallrye.mutiny.Uni;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.json.JsonObject;
import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.mutiny.sqlclient.Row;
import io.vertx.mutiny.sqlclient.SqlClient;
import io.vertx.mutiny.sqlclient.Tuple;
import jakarta.enterprise.context.ApplicationScoped;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.EnumSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;

/** All SQL about announcements themselves; their messages are {@link MessageRepository}'s. */
@ApplicationScoped
class AnnouncementRepository {

    private static final String COLUMNS = """
            sequence, announcement_id, contents, default_language, audience_tiers, audience_segment_id, importance, status, planned_through,
            members_planned, members_unreachable, messages_planned, request_hash, created_by, created_at, planned_at""";

    /** A key already used inserts nothing: the caller then reads what the key made. */
    private static final String INSERT = """
            INSERT INTO announcements (announcement_id, contents, default_language, audience_tiers, importance, status,
                                       idempotency_key, request_hash, created_by, created_at, audience_segment_id)
            VALUES ($1, $2, $3, $4, $5, 'PLANNING', $6, $7, $8, now(), $9)
            ON CONFLICT (created_by, idempotency_key) DO NOTHING
            RETURNING %s""".formatted(COLUMNS);

    private static final String BY_KEY = "SELECT " + COLUMNS + " FROM announcements WHERE created_by = $1 AND idempotency_key = $2";

    private static final String FIND = "SELECT " + COLUMNS + " FROM announcements WHERE announcement_id = $1";

    /** The announcement to plan a batch of, locked; none when it is planned, cancelled, or another instance holds it. */
    private static final String LOCK_PLANNING = "SELECT " + COLUMNS + " " + """
             FROM announcements WHERE announcement_id = $1 AND status = 'PLANNING' FOR UPDATE SKIP LOCKED""";

    private static final String RECORD_BATCH = """
            UPDATE announcements
               SET planned_through = $2, members_planned = members_planned + $3, members_unreachable = members_unreachable + $4,
                   messages_planned = messages_planned + $5,
                   status = CASE WHEN $6 THEN 'PLANNED' ELSE status END,
                   planned_at = CASE WHEN $6 THEN now() ELSE planned_at END
             WHERE announcement_id = $1""";

    private static final String PLANNING = """
            SELECT announcement_id FROM announcements WHERE status = 'PLANNING' ORDER BY created_at LIMIT $1""";

    /** Cancelled announcements that may still have messages to skip: those cancelled in the last day. */
    private static final String CANCELLED_RECENTLY = """
            SELECT announcement_id FROM announcements WHERE status = 'CANCELLED' AND cancelled_at > now() - interval '1 day'
             ORDER BY cancelled_at LIMIT $1""";

    private static final String PAGE = "SELECT " + COLUMNS + " " + """
             FROM announcements WHERE sequence < $1 ORDER BY sequence DESC LIMIT $2""";

    private static final String CANCEL = """
            UPDATE announcements SET status = 'CANCELLED', cancelled_at = now() WHERE announcement_id = $1 AND status <> 'CANCELLED'
            RETURNING %s""".formatted(COLUMNS);

    private final Pool pool;

    AnnouncementRepository(Pool pool) {
        this.pool = pool;
    }

    Pool pool() {
        return pool;
    }

    /** An announcement as stored, with where its planning stands and what made it. */
    record Stored(long sequence, Announcement announcement, UUID plannedThrough, byte[] requestHash) {
    }

    /** The new announcement; null when the key was used already. */
    Uni<Stored> insert(SqlClient transaction, UUID announcementId, AnnouncementRequest request, MessageImportance importance,
            String idempotencyKey, byte[] requestHash, String createdBy) {
        JsonObject contents = new JsonObject();
        request.contents().forEach((language, content) -> contents.put(language,
                new JsonObject().put("title", content.title()).put("body", content.body())));
        UUID segmentId = request.audience() == null ? null : request.audience().segmentId();
        // A segment's audience stores no tier: the release before reads that as no member, never as every member.
        String[] tiers = request.audience() == null ? null : segmentId != null ? new String[0]
                : request.audience().tiers().stream().map(Tier::name).sorted().toArray(String[]::new);
        return transaction.preparedQuery(INSERT).execute(Tuple.from(new Object[] {announcementId, contents,
                        request.defaultLanguage(), tiers, importance.name(), idempotencyKey, Buffer.buffer(requestHash), createdBy,
                        segmentId}))
                .map(rows -> rows.size() == 0 ? null : stored(rows.iterator().next()));
    }

    Uni<Stored> byKey(SqlClient client, String createdBy, String idempotencyKey) {
        return client.preparedQuery(BY_KEY).execute(Tuple.of(createdBy, idempotencyKey)).map(AnnouncementRepository::first);
    }

    Uni<Stored> find(UUID announcementId) {
        return pool.preparedQuery(FIND).execute(Tuple.of(announcementId)).map(AnnouncementRepository::first);
    }

    Uni<Stored> lockPlanning(SqlClient transaction, UUID announcementId) {
        return transaction.preparedQuery(LOCK_PLANNING).execute(Tuple.of(announcementId)).map(AnnouncementRepository::first);
    }

    Uni<Void> recordBatch(SqlClient transaction, UUID announcementId, UUID plannedThrough, int members, int unreachable, int messages,
            boolean done) {
        return transaction.preparedQuery(RECORD_BATCH)
                .execute(Tuple.from(new Object[] {announcementId, plannedThrough, members, unreachable, messages, done}))
                .replaceWithVoid();
    }

    Uni<List<UUID>> planning(int limit) {
        return pool.preparedQuery(PLANNING).execute(Tuple.of(limit)).map(rows -> {
            List<UUID> ids = new ArrayList<>();
            rows.forEach(row -> ids.add(row.getUUID("announcement_id")));
            return ids;
        });
    }

    Uni<List<UUID>> cancelledRecently(int limit) {
        return pool.preparedQuery(CANCELLED_RECENTLY).execute(Tuple.of(limit)).map(rows -> {
            List<UUID> ids = new ArrayList<>();
            rows.forEach(row -> ids.add(row.getUUID("announcement_id")));
            return ids;
        });
    }

    Uni<List<Stored>> page(long before, int limit) {
        return pool.preparedQuery(PAGE).execute(Tuple.of(before, limit)).map(rows -> {
            List<Stored> page = new ArrayList<>();
            rows.forEach(row -> page.add(stored(row)));
            return page;
        });
    }

    /** The cancelled announcement; null when there is none to cancel (unknown, or cancelled already). */
    Uni<Stored> cancel(SqlClient transaction, UUID announcementId) {
        return transaction.preparedQuery(CANCEL).execute(Tuple.of(announcementId)).map(AnnouncementRepository::first);
    }

    private static Stored first(Iterable<Row> rows) {
        var iterator = rows.iterator();
        return iterator.hasNext() ? stored(iterator.next()) : null;
    }

    private static Stored stored(Row row) {
        JsonObject stored = row.getJsonObject("contents");
        Map<String, AnnouncementContent> contents = new LinkedHashMap<>();
        stored.fieldNames().stream().sorted().forEach(language -> contents.put(language, new AnnouncementContent(
                stored.getJsonObject(language).getString("title"), stored.getJsonObject(language).getString("body"))));
        String[] tiers = row.getArrayOfStrings("audience_tiers");
        UUID segmentId = row.getUUID("audience_segment_id");
        AnnouncementAudience audience = null;
        if (segmentId != null) {
            audience = new AnnouncementAudience(null, segmentId);
        } else if (tiers != null) {
            Set<Tier> audienceTiers = EnumSet.noneOf(Tier.class);
            Arrays.stream(tiers).map(Tier::valueOf).forEach(audienceTiers::add);
            audience = new AnnouncementAudience(audienceTiers, null);
        }
        Announcement announcement = new Announcement(row.getUUID("announcement_id"), contents, row.getString("default_language"),
                audience, MessageImportance.valueOf(row.getString("importance")), AnnouncementStatus.valueOf(row.getString("status")),
                row.getLong("members_planned"), row.getLong("members_unreachable"), row.getLong("messages_planned"), Map.of(),
                row.getString("created_by"), row.getOffsetDateTime("created_at"), row.getOffsetDateTime("planned_at"));
        return new Stored(row.getLong("sequence"), announcement, row.getUUID("planned_through"),
                row.getBuffer("request_hash").getBytes());
    }
}
