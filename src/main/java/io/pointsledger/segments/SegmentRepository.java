package io.pointsledger.segments;

import io.pointsledger.purchases.MemberPurchases;
import io.pointsledger.segments.SegmentRule.Compiled;
import io.pointsledger.tiers.Tier;
import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.mutiny.sqlclient.Row;
import io.vertx.mutiny.sqlclient.RowSet;
import io.vertx.mutiny.sqlclient.SqlClient;
import io.vertx.mutiny.sqlclient.Tuple;
import java.time.Instant;
import java.time.LocalDate;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;
import jakarta.enterprise.context.ApplicationScoped;

/** All SQL of segments: the attribute runs, the members a rule admits, and the saved segments. */
@ApplicationScoped
public class SegmentRepository {

    /** Before every member id: where a run starts. */
    static final UUID FIRST_MEMBER_BOUND = new UUID(0, 0);

    /**
     * A page of members after {@code $1} in id order ({@code $2} of them, erased ones left out),
     * with their encrypted birth date and what their purchases before {@code $3} come to:
     * frequency and amount from {@code $4} on, and the last purchase ever.
     */
    private static final String MEASURE_PAGE = """
            SELECT m.member_id, m.birth_date_encrypted, p.frequency, p.monetary, p.last_at
              FROM (SELECT member_id, birth_date_encrypted FROM members
                     WHERE member_id > $1 AND erased_at IS NULL ORDER BY member_id LIMIT $2) m
             CROSS JOIN LATERAL (
                SELECT count(*) FILTER (WHERE p.occurred_at >= $4) AS frequency,
                       COALESCE(sum(p.amount) FILTER (WHERE p.occurred_at >= $4), 0)::bigint AS monetary,
                       max(p.occurred_at) AS last_at
                  FROM (%s) p
             ) p
             ORDER BY m.member_id""".formatted(MemberPurchases.before("$3"));

    /**
     * Saves a page of measures for members not erased, each held against an erasure until the
     * transaction ends ({@code FOR KEY SHARE}, in member order): an erasure deletes the attributes
     * in its own transaction, after which none may come back.
     */
    private static final String SAVE_MEASURES = """
            WITH held AS (
                SELECT member_id FROM members WHERE member_id = ANY($1::uuid[]) AND erased_at IS NULL
                 ORDER BY member_id FOR KEY SHARE
            )
            INSERT INTO member_segment_attributes (member_id, run_id, recency_days, frequency, monetary, age)
            SELECT s.member_id, $6, s.recency_days, s.frequency, s.monetary, s.age
              FROM unnest($1::uuid[], $2::integer[], $3::integer[], $4::bigint[], $5::smallint[])
                   AS s (member_id, recency_days, frequency, monetary, age)
              JOIN held USING (member_id)
            ON CONFLICT (member_id, run_id) DO UPDATE
               SET recency_days = EXCLUDED.recency_days, frequency = EXCLUDED.frequency, monetary = EXCLUDED.monetary,
                   age = EXCLUDED.age""";

    private static final String RUN_COLUMNS = """
            sequence, run_id, as_of, window_days, requested, started_at, claimed_by, last_member_id, members_measured, takeovers,
            finished_at, failed, active_members, recency_cutoffs, frequency_cutoffs, monetary_cutoffs""";

    /**
     * Opens a run unless one is open (the partial unique index), or {@code $6} asks for the day's
     * first and the day {@code $2} has one already. No row: nothing opened.
     */
    private static final String OPEN_RUN = """
            INSERT INTO segment_attribute_runs (run_id, as_of, window_days, requested, claimed_by, last_member_id)
            SELECT $1, $2, $3, $4, $5, '00000000-0000-0000-0000-000000000000'
             WHERE NOT ($6 AND EXISTS (SELECT 1 FROM segment_attribute_runs WHERE as_of = $2))
            ON CONFLICT DO NOTHING
            RETURNING\s""" + RUN_COLUMNS;

    /** Takes over the open run if its instance has not beaten its heartbeat for {@code $2} seconds. */
    private static final String TAKE_OVER_RUN = """
            UPDATE segment_attribute_runs SET claimed_by = $1, heartbeat_at = now(), takeovers = takeovers + 1
             WHERE finished_at IS NULL AND heartbeat_at < now() - make_interval(secs => $2)
            RETURNING\s""" + RUN_COLUMNS;

    /** Records a page done, unless another instance took the run over meanwhile (no row then). */
    private static final String ADVANCE_RUN = """
            UPDATE segment_attribute_runs SET last_member_id = $2, members_measured = members_measured + $3, heartbeat_at = now()
             WHERE run_id = $1 AND claimed_by = $4 AND finished_at IS NULL""";

    /** Closes the run with the quintile cutoffs over the members it measured active. */
    private static final String FINISH_RUN = """
            UPDATE segment_attribute_runs r
               SET finished_at = now(), heartbeat_at = now(), active_members = c.active, recency_cutoffs = c.recency,
                   frequency_cutoffs = c.frequency, monetary_cutoffs = c.monetary
              FROM (SELECT count(*) AS active,
                           (percentile_disc(ARRAY[0.2, 0.4, 0.6, 0.8]) WITHIN GROUP (ORDER BY -a.recency_days))::bigint[] AS recency,
                           (percentile_disc(ARRAY[0.2, 0.4, 0.6, 0.8]) WITHIN GROUP (ORDER BY a.frequency))::bigint[] AS frequency,
                           (percentile_disc(ARRAY[0.2, 0.4, 0.6, 0.8]) WITHIN GROUP (ORDER BY a.monetary))::bigint[] AS monetary
                      FROM member_segment_attributes a WHERE a.run_id = $1 AND a.frequency > 0) c
             WHERE r.run_id = $1 AND r.claimed_by = $2 AND r.finished_at IS NULL
            RETURNING\s""" + RUN_COLUMNS;

    /** Closes a run taken over too often, without cutoffs: segments go on scoring by the newest run that finished well. */
    private static final String FAIL_RUN = """
            UPDATE segment_attribute_runs SET finished_at = now(), failed = true
             WHERE run_id = $1 AND claimed_by = $2 AND finished_at IS NULL""";

    /** Up to {@code $2} rows of runs before the run {@code $1}, deleted; the newest finished run's rows are all segments read. */
    private static final String DELETE_OLDER_MEASURES = """
            WITH doomed AS (
                SELECT a.member_id, a.run_id FROM member_segment_attributes a
                 WHERE a.run_id IN (SELECT older.run_id FROM segment_attribute_runs older, segment_attribute_runs finished
                                     WHERE finished.run_id = $1 AND older.sequence < finished.sequence)
                 LIMIT $2
            )
            DELETE FROM member_segment_attributes a USING doomed
             WHERE a.member_id = doomed.member_id AND a.run_id = doomed.run_id""";

    private static final String RUN = "SELECT " + RUN_COLUMNS + " FROM segment_attribute_runs WHERE run_id = $1";

    private static final String RUNS = "SELECT " + RUN_COLUMNS
            + " FROM segment_attribute_runs WHERE sequence < $1 ORDER BY sequence DESC LIMIT $2";

    private static final String LATEST_FINISHED_DAY = """
            SELECT as_of FROM segment_attribute_runs WHERE finished_at IS NOT NULL AND NOT failed ORDER BY finished_at DESC LIMIT 1""";

    /**
     * Every member not erased with what rules ask of them: {@code run} is the newest run that
     * finished well, whose measures ({@code a}) and cutoffs score R, F and M, all from one run
     * while the next one writes its own (none before the first: the measures and scores are null).
     */
    private static final String MEMBERS = SegmentRepository.EVERY_MEMBER + " WHERE m.erased_at IS NULL";

    /** Every member, erased or not, with what rules ask of them (as MEMBERS; a rule admits no erased member). */
    static final String EVERY_MEMBER = " " + """
              FROM members m
              JOIN member_accounts acc ON acc.member_id = m.member_id
              LEFT JOIN LATERAL (SELECT run_id, as_of, recency_cutoffs, frequency_cutoffs, monetary_cutoffs FROM segment_attribute_runs
                                  WHERE finished_at IS NOT NULL AND NOT failed ORDER BY finished_at DESC LIMIT 1) run ON true
              LEFT JOIN member_segment_attributes a ON a.member_id = m.member_id AND a.run_id = run.run_id
              LEFT JOIN churn_scores cs ON cs.member_id = m.member_id""";

    private static final String ATTRIBUTE_COLUMNS = "SELECT m.member_id, CASE WHEN a.member_id IS NOT NULL THEN run.as_of END AS"
            + " measured_as_of, a.recency_days, a.frequency,"
            + " a.monetary, " + SegmentAttribute.R.column + " AS recency_score, " + SegmentAttribute.F.column + " AS frequency_score, "
            + SegmentAttribute.M.column + " AS monetary_score, a.age, m.region, acc.tier, cs.risk AS churn_risk\n";

    private static final String MEMBER_ATTRIBUTES = ATTRIBUTE_COLUMNS + MEMBERS + " AND m.member_id = $1";

    private static final String DELETE_ATTRIBUTES = "DELETE FROM member_segment_attributes WHERE member_id = $1";

    private static final String SEGMENT_COLUMNS = "sequence, segment_id, name, description, rule, version, created_at, updated_at";

    private static final String INSERT_SEGMENT = """
            INSERT INTO segments (segment_id, name, description, rule, created_by) VALUES ($1, $2, $3, $4, $5)
            ON CONFLICT (name) DO NOTHING
            RETURNING\s""" + SEGMENT_COLUMNS;

    /** The change, unless the segment is not at version {@code $5} (null: any) or the name is another's. */
    private static final String UPDATE_SEGMENT = """
            UPDATE segments SET name = $2, description = $3, rule = $4, version = version + 1, updated_at = now()
             WHERE segment_id = $1 AND ($5::bigint IS NULL OR version = $5)
            RETURNING\s""" + SEGMENT_COLUMNS;

    private static final String SEGMENT = "SELECT " + SEGMENT_COLUMNS + " FROM segments WHERE segment_id = $1";

    private static final String SEGMENT_NAMED = "SELECT 1 FROM segments WHERE name = $1 AND segment_id <> $2";

    private static final String SEGMENTS = "SELECT " + SEGMENT_COLUMNS
            + " FROM segments WHERE sequence < $1 ORDER BY sequence DESC LIMIT $2";

    private final Pool pool;

    SegmentRepository(Pool pool) {
        this.pool = pool;
    }

    Pool pool() {
        return pool;
    }

    // ----- runs

    /** A member's purchases measured, with their birth date still encrypted. */
    record Measured(UUID memberId, String birthDateEncrypted, int frequency, long monetary, Instant lastPurchaseAt) {
    }

    /** Up to {@code limit} members after {@code after}, their purchases before {@code asOf} and in the window from {@code windowStart}. */
    Uni<List<Measured>> measurePage(UUID after, int limit, Instant asOf, Instant windowStart) {
        return pool.preparedQuery(MEASURE_PAGE).execute(Tuple.of(after, limit, utc(asOf), utc(windowStart))).map(rows -> {
            List<Measured> page = new ArrayList<>(rows.size());
            for (Row row : rows) {
                OffsetDateTime last = row.getOffsetDateTime("last_at");
                page.add(new Measured(row.getUUID("member_id"), row.getString("birth_date_encrypted"),
                        Math.toIntExact(row.getLong("frequency")), Math.max(0, row.getLong("monetary")),
                        last == null ? null : last.toInstant()));
            }
            return page;
        });
    }

    /** What a run found of a member. */
    record Measures(UUID memberId, Integer recencyDays, int frequency, long monetary, Integer age) {
    }

    /**
     * Saves a page of measures and records the page done, in one transaction, unless another
     * instance took the run over: then nothing is written. Whether the run was still this claim's.
     */
    Uni<Boolean> savePage(OpenRun run, List<Measures> page, UUID lastMemberId) {
        return pool.withTransaction(transaction -> transaction.preparedQuery(ADVANCE_RUN)
                .execute(Tuple.of(run.runId(), lastMemberId, page.size(), run.claim()))
                .map(rows -> rows.rowCount() == 1)
                .call(ours -> ours && !page.isEmpty() ? saveMeasures(transaction, run.runId(), page) : Uni.createFrom().voidItem()));
    }

    private Uni<Void> saveMeasures(SqlClient transaction, UUID runId, List<Measures> page) {
        return transaction.preparedQuery(SAVE_MEASURES).execute(Tuple.of(
                        page.stream().map(Measures::memberId).toArray(UUID[]::new),
                        page.stream().map(Measures::recencyDays).toArray(Integer[]::new),
                        page.stream().map(Measures::frequency).toArray(Integer[]::new),
                        page.stream().map(Measures::monetary).toArray(Long[]::new),
                        page.stream().map(measures -> measures.age() == null ? null : measures.age().shortValue()).toArray(Short[]::new),
                        runId))
                .replaceWithVoid();
    }

    /** A run this instance holds the claim of; {@code takeovers}: times it was taken over. */
    record OpenRun(UUID runId, UUID claim, LocalDate asOf, int windowDays, UUID lastMemberId, int takeovers) {
    }

    /** The run opened; empty when one is open already, or {@code firstOfDay} and the day has one. */
    Uni<Optional<AttributeRun>> openRun(SqlClient client, UUID runId, LocalDate asOf, int windowDays, AttributeRun.Requested requested,
            UUID claim, boolean firstOfDay) {
        return client.preparedQuery(OPEN_RUN).execute(Tuple.from(List.of(runId, asOf, windowDays, requested.name(), claim, firstOfDay)))
                .map(SegmentRepository::firstRun);
    }

    /** The open run, claimed by {@code claim}, if its instance stopped beating for {@code staleSeconds}. */
    Uni<Optional<OpenRun>> takeOver(UUID claim, long staleSeconds) {
        return pool.preparedQuery(TAKE_OVER_RUN).execute(Tuple.of(claim, staleSeconds)).map(rows -> rows.size() == 0
                ? Optional.empty()
                : Optional.of(toOpenRun(rows.iterator().next(), claim)));
    }

    static OpenRun toOpenRun(Row row, UUID claim) {
        return new OpenRun(row.getUUID("run_id"), claim, row.getLocalDate("as_of"), row.getInteger("window_days"),
                row.getUUID("last_member_id"), row.getInteger("takeovers"));
    }

    /** Closes the run as failed, unless another instance holds it now. */
    Uni<Void> fail(OpenRun run) {
        return pool.preparedQuery(FAIL_RUN).execute(Tuple.of(run.runId(), run.claim())).replaceWithVoid();
    }

    /** Deletes up to {@code limit} rows measured by runs before {@code runId}; the number deleted. */
    Uni<Integer> deleteOlderMeasures(UUID runId, int limit) {
        return pool.preparedQuery(DELETE_OLDER_MEASURES).execute(Tuple.of(runId, limit)).map(RowSet::rowCount);
    }

    /** The run finished with its cutoffs; empty when another instance holds it now. */
    Uni<Optional<AttributeRun>> finish(OpenRun run) {
        return pool.preparedQuery(FINISH_RUN).execute(Tuple.of(run.runId(), run.claim())).map(SegmentRepository::firstRun);
    }

    Uni<Optional<AttributeRun>> run(UUID runId) {
        return pool.preparedQuery(RUN).execute(Tuple.of(runId)).map(SegmentRepository::firstRun);
    }

    /** Newest first, below {@code beforeSequence}; each with its sequence, for the next cursor. */
    Uni<List<Sequenced<AttributeRun>>> runs(long beforeSequence, int limit) {
        return pool.preparedQuery(RUNS).execute(Tuple.of(beforeSequence, limit)).map(rows -> {
            List<Sequenced<AttributeRun>> runs = new ArrayList<>(rows.size());
            rows.forEach(row -> runs.add(new Sequenced<>(row.getLong("sequence"), toRun(row))));
            return runs;
        });
    }

    Uni<Optional<LocalDate>> latestFinishedDay() {
        return pool.preparedQuery(LATEST_FINISHED_DAY).execute().map(rows -> rows.size() == 0
                ? Optional.empty()
                : Optional.of(rows.iterator().next().getLocalDate("as_of")));
    }

    private static Optional<AttributeRun> firstRun(RowSet<Row> rows) {
        return rows.size() == 0 ? Optional.empty() : Optional.of(toRun(rows.iterator().next()));
    }

    private static AttributeRun toRun(Row row) {
        boolean finished = row.getOffsetDateTime("finished_at") != null;
        boolean failed = Boolean.TRUE.equals(row.getBoolean("failed"));
        Long[] recency = row.getArrayOfLongs("recency_cutoffs");
        return new AttributeRun(row.getUUID("run_id"), row.getLocalDate("as_of"), row.getInteger("window_days"),
                AttributeRun.Requested.valueOf(row.getString("requested")),
                failed ? AttributeRun.Status.FAILED : finished ? AttributeRun.Status.FINISHED : AttributeRun.Status.RUNNING,
                row.getOffsetDateTime("started_at"),
                row.getOffsetDateTime("finished_at"), row.getLong("members_measured"), row.getLong("active_members"),
                recency == null ? null : Arrays.stream(recency).map(cutoff -> -cutoff).toList(),
                list(row.getArrayOfLongs("frequency_cutoffs")), list(row.getArrayOfLongs("monetary_cutoffs")));
    }

    private static List<Long> list(Long[] values) {
        return values == null ? null : List.of(values);
    }

    // ----- members of a rule

    /** The member's attributes; empty for an unknown or erased member. */
    Uni<Optional<MemberAttributes>> memberAttributes(UUID memberId) {
        return pool.preparedQuery(MEMBER_ATTRIBUTES).execute(Tuple.of(memberId))
                .map(rows -> toAttributes(rows).stream().findFirst());
    }

    /** How many members the rule admits now. */
    Uni<Long> count(SegmentRule rule) {
        Compiled compiled = rule.compile(1);
        return pool.preparedQuery("SELECT count(*)" + MEMBERS + " AND " + compiled.sql())
                .execute(Tuple.from(compiled.values())).map(rows -> rows.iterator().next().getLong(0));
    }

    /** Up to {@code limit} members the rule admits after {@code after}, in id order. */
    Uni<List<MemberAttributes>> members(SegmentRule rule, UUID after, int limit) {
        Compiled compiled = rule.compile(3);
        List<Object> arguments = new ArrayList<>(List.of(after, limit));
        arguments.addAll(compiled.values());
        return pool.preparedQuery(ATTRIBUTE_COLUMNS + MEMBERS + " AND m.member_id > $1 AND " + compiled.sql()
                        + " ORDER BY m.member_id LIMIT $2")
                .execute(Tuple.from(arguments)).map(SegmentRepository::toAttributes);
    }

    /** Ids of up to {@code limit} members the rule admits after {@code after}, in id order, on {@code client}. */
    Uni<List<UUID>> memberIds(SqlClient client, SegmentRule rule, UUID after, int limit) {
        Compiled compiled = rule.compile(3);
        List<Object> arguments = new ArrayList<>(List.of(after, limit));
        arguments.addAll(compiled.values());
        return client.preparedQuery("SELECT m.member_id" + MEMBERS + " AND m.member_id > $1 AND " + compiled.sql()
                        + " ORDER BY m.member_id LIMIT $2")
                .execute(Tuple.from(arguments)).map(rows -> {
                    List<UUID> ids = new ArrayList<>(rows.size());
                    rows.forEach(row -> ids.add(row.getUUID(0)));
                    return ids;
                });
    }

    /** Whether the rule admits the member now (false for an unknown or erased one). */
    Uni<Boolean> admits(SegmentRule rule, UUID memberId) {
        Compiled compiled = rule.compile(2);
        List<Object> arguments = new ArrayList<>(List.of(memberId));
        arguments.addAll(compiled.values());
        return pool.preparedQuery("SELECT " + compiled.sql() + " IS TRUE" + MEMBERS + " AND m.member_id = $1")
                .execute(Tuple.from(arguments)).map(rows -> rows.size() == 1 && rows.iterator().next().getBoolean(0));
    }

    /**
     * For each of {@code memberIds} (not erased), which of {@code rules} admit them, in one statement
     * on {@code client}: one boolean column per rule.
     */
    Uni<Map<UUID, Set<UUID>>> admitted(SqlClient client, Map<UUID, SegmentRule> rules, Set<UUID> memberIds) {
        List<UUID> segmentIds = new ArrayList<>(rules.keySet());
        List<Object> arguments = new ArrayList<>();
        arguments.add(memberIds.toArray(UUID[]::new));
        StringBuilder columns = new StringBuilder("SELECT m.member_id");
        for (UUID segmentId : segmentIds) {
            Compiled compiled = rules.get(segmentId).compile(arguments.size() + 1);
            columns.append(", ").append(compiled.sql()).append(" IS TRUE");
            arguments.addAll(compiled.values());
        }
        return client.preparedQuery(columns + MEMBERS + " AND m.member_id = ANY($1)").execute(Tuple.from(arguments)).map(rows -> {
            Map<UUID, Set<UUID>> admitted = new HashMap<>();
            for (Row row : rows) {
                Set<UUID> segments = new HashSet<>();
                for (int index = 0; index < segmentIds.size(); index++) {
                    if (row.getBoolean(index + 1)) {
                        segments.add(segmentIds.get(index));
                    }
                }
                if (!segments.isEmpty()) {
                    admitted.put(row.getUUID(0), Set.copyOf(segments));
                }
            }
            return admitted;
        });
    }

    /** The rules of those of {@code segmentIds} that exist, on {@code client}. */
    Uni<Map<UUID, String>> rules(SqlClient client, Set<UUID> segmentIds) {
        return client.preparedQuery("SELECT segment_id, rule FROM segments WHERE segment_id = ANY($1)")
                .execute(Tuple.of(segmentIds.toArray(UUID[]::new))).map(rows -> {
                    Map<UUID, String> rules = new HashMap<>();
                    rows.forEach(row -> rules.put(row.getUUID("segment_id"), row.getString("rule")));
                    return rules;
                });
    }

    /** Deletes the member's attributes, on the caller's transaction (an erasure). */
    Uni<Void> forgetMember(SqlClient transaction, UUID memberId) {
        return transaction.preparedQuery(DELETE_ATTRIBUTES).execute(Tuple.of(memberId)).replaceWithVoid();
    }

    private static List<MemberAttributes> toAttributes(RowSet<Row> rows) {
        List<MemberAttributes> members = new ArrayList<>(rows.size());
        for (Row row : rows) {
            Short age = row.getShort("age");
            members.add(new MemberAttributes(row.getUUID("member_id"), row.getLocalDate("measured_as_of"), row.getInteger("recency_days"),
                    row.getInteger("frequency"), row.getLong("monetary"), row.getInteger("recency_score"),
                    row.getInteger("frequency_score"), row.getInteger("monetary_score"), age == null ? null : age.intValue(),
                    row.getString("region"), Tier.valueOf(row.getString("tier")), row.getDouble("churn_risk")));
        }
        return members;
    }

    // ----- saved segments

    /** A row with the sequence its list pages by. */
    record Sequenced<T>(long sequence, T value) {
    }

    /** The segment saved; empty when the name is taken. */
    Uni<Optional<Segment>> insert(SqlClient transaction, UUID segmentId, SegmentRequest request, String createdBy) {
        return transaction.preparedQuery(INSERT_SEGMENT)
                .execute(Tuple.of(segmentId, request.name(), request.description(), request.rule(), createdBy))
                .map(SegmentRepository::firstSegment);
    }

    /** The segment changed; empty when it is unknown or not at {@code version} (null: any). */
    Uni<Optional<Segment>> update(SqlClient transaction, UUID segmentId, SegmentRequest request, Long version) {
        return transaction.preparedQuery(UPDATE_SEGMENT)
                .execute(Tuple.from(Arrays.asList(segmentId, request.name(), request.description(), request.rule(), version)))
                .map(SegmentRepository::firstSegment);
    }

    Uni<Boolean> nameTakenByAnother(String name, UUID segmentId) {
        return pool.preparedQuery(SEGMENT_NAMED).execute(Tuple.of(name, segmentId)).map(rows -> rows.size() > 0);
    }

    Uni<Optional<Segment>> find(UUID segmentId) {
        return pool.preparedQuery(SEGMENT).execute(Tuple.of(segmentId)).map(SegmentRepository::firstSegment);
    }

    /** Newest first, below {@code beforeSequence}. */
    Uni<List<Sequenced<Segment>>> segments(long beforeSequence, int limit) {
        return pool.preparedQuery(SEGMENTS).execute(Tuple.of(beforeSequence, limit)).map(rows -> {
            List<Sequenced<Segment>> segments = new ArrayList<>(rows.size());
            rows.forEach(row -> segments.add(new Sequenced<>(row.getLong("sequence"), toSegment(row))));
            return segments;
        });
    }

    private static Optional<Segment> firstSegment(RowSet<Row> rows) {
        return rows.size() == 0 ? Optional.empty() : Optional.of(toSegment(rows.iterator().next()));
    }

    private static Segment toSegment(Row row) {
        return new Segment(row.getUUID("segment_id"), row.getString("name"), row.getString("description"), row.getString("rule"),
                row.getLong("version"), row.getOffsetDateTime("created_at"), row.getOffsetDateTime("updated_at"));
    }

    private static OffsetDateTime utc(Instant instant) {
        return instant.atOffset(ZoneOffset.UTC);
    }
}
