package io.pointsledger.segments;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.pointsledger.members.PersonalDataCipher;
import io.pointsledger.support.Database;
import io.quarkus.test.junit.QuarkusTest;
import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.mutiny.sqlclient.Tuple;
import jakarta.inject.Inject;
import java.time.Duration;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.UUID;
import java.util.concurrent.ThreadLocalRandom;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.condition.EnabledIfSystemProperty;

/**
 * The benchmark of a segment attribute run (load-tests/segment-benchmark.sh): seeds the members
 * asked for straight in PostgreSQL (each with an encrypted birth date, a region and 0 to 6
 * purchases over the last 400 days, 3 on average), measures them all with the service's own run
 * twice (the second, as every night, writing rows of its own and then deleting the first's), then
 * times a count and a first page of a segment over them. It asserts what the run did, never
 * how fast: the times are the report. Runs only when {@value #MEMBERS_PROPERTY} is set.
 */
@QuarkusTest
@EnabledIfSystemProperty(named = SegmentRunBenchmarkTest.MEMBERS_PROPERTY, matches = "[0-9]+")
class SegmentRunBenchmarkTest {

    static final String MEMBERS_PROPERTY = "segments.benchmark.members";
    private static final int CHUNK = 10_000;
    private static final String[] REGIONS = {"Seoul", "Busan", "Incheon", "Daegu", "Daejeon", "Gwangju", "Ulsan", "Jeju"};
    private static final String SEED_PURCHASES = """
            INSERT INTO purchase_history (member_id, order_id, purchase_id, occurred_at, amount_minor_units, channel, items,
                                          import_job_id, first_row)
            SELECT s.member_id, 'bench-' || g, gen_random_uuid(), now() - (random() * 400)::int * interval '1 day',
                   (500 + random() * 50000)::bigint, 'ONLINE', '[]'::jsonb, $2, 2
              FROM unnest($1::uuid[]) WITH ORDINALITY AS s (member_id, position)
             CROSS JOIN LATERAL generate_series(1, (s.position % 7)::int) AS g""";

    @Inject
    Pool pool;
    @Inject
    AttributeRuns runs;
    @Inject
    SegmentRepository repository;
    @Inject
    PersonalDataCipher cipher;

    @Test
    void shouldMeasureEveryMemberInBoundedPages() {
        int members = Integer.getInteger(MEMBERS_PROPERTY);
        long seedStart = System.nanoTime();
        seed(members);
        long seedMillis = (System.nanoTime() - seedStart) / 1_000_000;
        Database.execute(pool, "ANALYZE");
        long before = Database.single(pool, "SELECT count(*) FROM members WHERE erased_at IS NULL").getLong(0);

        long firstStart = System.nanoTime();
        runs.runNow(LocalDate.now(ZoneOffset.UTC).minusDays(1)).await().atMost(Duration.ofMinutes(30));
        long firstMillis = (System.nanoTime() - firstStart) / 1_000_000;
        // The nightly case: a run over members a run measured before, whose rows it then deletes.
        long runStart = System.nanoTime();
        AttributeRun run = runs.runNow(LocalDate.now(ZoneOffset.UTC)).await().atMost(Duration.ofMinutes(30));
        long runMillis = (System.nanoTime() - runStart) / 1_000_000;
        SegmentRule rule = SegmentRule.parse("R >= 4 AND F >= 4 AND age 20-39");
        long countStart = System.nanoTime();
        long admitted = repository.count(rule).await().atMost(Duration.ofMinutes(5));
        long countMillis = (System.nanoTime() - countStart) / 1_000_000;
        long pageStart = System.nanoTime();
        int firstPage = repository.members(rule, SegmentRepository.FIRST_MEMBER_BOUND, 500).await().atMost(Duration.ofMinutes(5)).size();
        long pageMillis = (System.nanoTime() - pageStart) / 1_000_000;

        System.out.printf("Segment attribute run on %,d members (%,d seeded in %,d ms)%n", before, members, seedMillis);
        System.out.printf("| first run (no rows before): time | %,d ms |%n", firstMillis);
        System.out.printf("| run: members measured | %,d |%n| run: active members | %,d |%n| run: time, the first run's rows deleted | %,d ms |%n"
                        + "| run: members a second | %,.0f |%n| count of R >= 4 AND F >= 4 AND age 20-39 | %,d in %,d ms |%n"
                        + "| first page of 500 | %,d in %,d ms |%n",
                run.membersMeasured(), run.activeMembers(), runMillis, run.membersMeasured() * 1000.0 / runMillis, admitted, countMillis,
                firstPage, pageMillis);
        System.out.println("Segment benchmark done");
        assertEquals(before, run.membersMeasured());
        assertEquals(before, Database.single(pool, "SELECT count(*) FROM member_segment_attributes").getLong(0),
                "the first run's rows deleted");
        assertTrue(run.activeMembers() > 0 && admitted > 0, "a run that measured nothing would time nothing");
        assertTrue(Database.single(pool, "SELECT count(*) FROM member_segment_attributes WHERE age IS NOT NULL").getLong(0) > members / 2,
                "birth dates were decrypted");
    }

    private void seed(int members) {
        ThreadLocalRandom random = ThreadLocalRandom.current();
        UUID importJob = UUID.randomUUID();
        for (int from = 0; from < members; from += CHUNK) {
            int size = Math.min(CHUNK, members - from);
            UUID[] ids = new UUID[size];
            String[] regions = new String[size];
            String[] birthDates = new String[size];
            for (int index = 0; index < size; index++) {
                ids[index] = UUID.randomUUID();
                regions[index] = REGIONS[random.nextInt(REGIONS.length)];
                LocalDate born = LocalDate.of(1940 + random.nextInt(66), 1 + random.nextInt(12), 1 + random.nextInt(28));
                birthDates[index] = cipher.encrypt(born.toString(), ids[index], "birthDate");
            }
            pool.withTransaction(transaction -> transaction.preparedQuery("""
                            INSERT INTO members (member_id, enrollment_channel, region, birth_date_encrypted)
                            SELECT s.member_id, 'BULK', s.region, s.birth_date FROM unnest($1::uuid[], $2::text[], $3::text[])
                                   AS s (member_id, region, birth_date)""").execute(Tuple.of(ids, regions, birthDates))
                    .chain(() -> transaction.preparedQuery("INSERT INTO member_accounts (member_id) SELECT unnest($1::uuid[])")
                            .execute(Tuple.of(ids)))
                    .chain(() -> transaction.preparedQuery(SEED_PURCHASES).execute(Tuple.of(ids, importJob))))
                    .await().atMost(Duration.ofMinutes(2));
        }
    }
}
