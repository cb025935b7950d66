package io.pointsledger.members;

import io.smallrye.mutiny.Uni;
import io.vertx.core.buffer.Buffer;
import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.mutiny.sqlclient.Row;
import io.vertx.mutiny.sqlclient.RowSet;
import io.vertx.mutiny.sqlclient.SqlClient;
import io.vertx.mutiny.sqlclient.Tuple;
import jakarta.enterprise.context.ApplicationScoped;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;

/**
 * All SQL about members. Personal data goes in and out encrypted; this class never sees plaintext
 * name, email, phone or birth date, only what {@link PersonalDataCipher} made of them.
 */
@ApplicationScoped
public class MemberRepository {

    private static final String COLUMNS = """
            member_id, external_id, name, name_encrypted, email_encrypted, phone_encrypted, birth_date_encrypted,
            region, language, gender_encrypted, enrollment_channel, enrolled_at, erased_at, version""";

    /**
     * Enrolling opens the member's account in the same statement, so that no member ever exists
     * without one, and writes its MEMBER_ENROLLED event (docs/events.md) to the outbox. An external id is claimed first, in a table of its own (unique across members,
     * so keyed without the member id: deploy/SCALING.md); one already claimed inserts nothing and
     * returns no row. Two enrollments racing for one id: the second waits for the first's claim.
     */
    private static final String ENROLL = """
            WITH claimed AS (
                INSERT INTO member_external_ids (external_id, member_id)
                SELECT $2::text, $1::uuid WHERE $2::text IS NOT NULL
                ON CONFLICT (external_id) DO NOTHING
                RETURNING external_id
            ), member AS (
                INSERT INTO members (member_id, external_id, name_encrypted, email_encrypted, phone_encrypted,
                                     birth_date_encrypted, email_index, phone_index, enrollment_channel, region, language,
                                     gender_encrypted)
                SELECT $1::uuid, $2::text, $3::text, $4::text, $5::text, $6::text, $7::bytea, $8::bytea, $9::text,
                       $10::text, $11::text, $12::text
                 WHERE $2::text IS NULL OR EXISTS (SELECT 1 FROM claimed)
                RETURNING *
            ), account AS (
                INSERT INTO member_accounts (member_id) SELECT member_id FROM member RETURNING member_id
            ), enrolled AS (
                INSERT INTO outbox (event_id, member_id, event_type, payload)
                SELECT gen_random_uuid(), member_id, 'MEMBER_ENROLLED',
                       jsonb_build_object('schemaVersion', 1, 'eventType', 'MEMBER_ENROLLED', 'memberId', member_id,
                                          'channel', enrollment_channel, 'enrolledAt', enrolled_at)
                  FROM member
            )
            SELECT %s FROM member JOIN account USING (member_id)""".formatted(COLUMNS);

    private static final String FIND = "SELECT " + COLUMNS + " FROM members WHERE member_id = $1";

    /** The member's row, locked until the change that read it commits: two changes of one profile queue. */
    private static final String FIND_FOR_UPDATE = FIND + " FOR UPDATE";

    private static final String FIND_BY_EMAIL_INDEX =
            "SELECT " + COLUMNS + " FROM members WHERE email_index = $1 ORDER BY enrolled_at LIMIT $2";

    private static final String FIND_BY_PHONE_INDEX =
            "SELECT " + COLUMNS + " FROM members WHERE phone_index = $1 ORDER BY enrolled_at LIMIT $2";

    /**
     * The external id goes too: it is the retailer's key to the person, and clearing it frees it
     * for a new enrollment; its blind index ({@code $2}) is kept, so that an import does not enroll
     * the person again. {@code name} is cleared for rows enrolled before names were encrypted.
     */
    private static final String ERASE = """
            WITH remembered AS (
                INSERT INTO erased_external_ids (external_id_index, erased_at)
                SELECT $2::bytea, now() WHERE $2::bytea IS NOT NULL
                ON CONFLICT (external_id_index) DO NOTHING
            ), freed AS (
                DELETE FROM member_external_ids e USING members m
                 WHERE m.member_id = $1 AND e.external_id = m.external_id AND e.member_id = m.member_id
            )
            UPDATE members
               SET external_id = NULL, name = NULL, name_encrypted = NULL, email_encrypted = NULL,
                   phone_encrypted = NULL, birth_date_encrypted = NULL, email_index = NULL, phone_index = NULL,
                   region = NULL, language = NULL, gender_encrypted = NULL,
                   version = version + CASE WHEN erased_at IS NULL THEN 1 ELSE 0 END, updated_at = now(),
                   erased_at = COALESCE(erased_at, now())
             WHERE member_id = $1
            RETURNING member_id""";

    /**
     * A profile change, made only against the version it was read at and only while the member
     * is not erased: no row when either no longer holds. The old plaintext name column goes, its
     * value now encrypted with the rest.
     */
    private static final String UPDATE_PROFILE = """
            UPDATE members
               SET name = NULL, name_encrypted = $3, email_encrypted = $4, phone_encrypted = $5,
                   birth_date_encrypted = $6, email_index = $7, phone_index = $8, region = $9, language = $10,
                   gender_encrypted = $11, version = version + 1, updated_at = now()
             WHERE member_id = $1 AND version = $2 AND erased_at IS NULL
            RETURNING %s""".formatted(COLUMNS);

    /**
     * A chunk of an import in one statement: the external ids claimed in row order (a second row
     * with one already claimed claims nothing), the members of the claimed ones with their
     * accounts and MEMBER_ENROLLED events. Each row comes back with whether it was claimed and, if
     * not, which import and row hold its external id (none visible yet: an earlier row of this
     * same statement).
     */
    private static final String ENROLL_IMPORTED = """
            WITH input AS (
                SELECT * FROM unnest($1::uuid[], $2::text[], $3::text[], $4::text[], $5::text[], $6::text[], $7::bytea[],
                                     $8::bytea[], $9::text[], $10::text[], $11::text[], $12::bigint[], $15::bytea[])
                    WITH ORDINALITY
                    AS i (member_id, external_id, name_encrypted, email_encrypted, phone_encrypted, birth_date_encrypted,
                          email_index, phone_index, region, language, gender_encrypted, import_row, external_id_index,
                          position)
            ), erased AS (
                SELECT i.member_id FROM input i JOIN erased_external_ids x ON x.external_id_index = i.external_id_index
            ), claimed AS (
                INSERT INTO member_external_ids (external_id, member_id)
                SELECT external_id, member_id FROM input WHERE member_id NOT IN (SELECT member_id FROM erased)
                 ORDER BY position
                    ON CONFLICT (external_id) DO NOTHING
                RETURNING member_id
            ), member AS (
                INSERT INTO members (member_id, external_id, name_encrypted, email_encrypted, phone_encrypted,
                                     birth_date_encrypted, email_index, phone_index, enrollment_channel, region, language,
                                     gender_encrypted, import_job_id, import_row)
                SELECT i.member_id, i.external_id, i.name_encrypted, i.email_encrypted, i.phone_encrypted,
                       i.birth_date_encrypted, i.email_index, i.phone_index, $13, i.region, i.language,
                       i.gender_encrypted, $14, i.import_row
                  FROM input i JOIN claimed USING (member_id)
                RETURNING member_id, enrollment_channel, enrolled_at
            ), account AS (
                INSERT INTO member_accounts (member_id) SELECT member_id FROM member
            ), enrolled AS (
                INSERT INTO outbox (event_id, member_id, event_type, payload)
                SELECT gen_random_uuid(), member_id, 'MEMBER_ENROLLED',
                       jsonb_build_object('schemaVersion', 1, 'eventType', 'MEMBER_ENROLLED', 'memberId', member_id,
                                          'channel', enrollment_channel, 'enrolledAt', enrolled_at)
                  FROM member
            )
            SELECT i.import_row, c.member_id IS NOT NULL AS claimed, e.external_id IS NOT NULL AS held_before,
                   i.member_id IN (SELECT member_id FROM erased) AS erased,
                   holder.import_job_id, holder.import_row AS held_by_row
              FROM input i
              LEFT JOIN claimed c USING (member_id)
              LEFT JOIN member_external_ids e ON c.member_id IS NULL AND e.external_id = i.external_id
              LEFT JOIN members holder ON holder.member_id = e.member_id
             ORDER BY i.position""";

    /** One batch of members with a birth date, in member order from {@code $1} (exclusive). */
    private static final String WITH_BIRTH_DATES = """
            SELECT member_id, birth_date_encrypted FROM members
             WHERE member_id > $1 AND birth_date_encrypted IS NOT NULL AND erased_at IS NULL
             ORDER BY member_id LIMIT $2""";

    private static final String BY_EXTERNAL_ID = "SELECT external_id, member_id FROM member_external_ids WHERE external_id = ANY($1)";

    private final Pool pool;

    /**
     * Key-share locks, taken in member order (two such transactions never wait on each other in a
     * circle): they block an erasure's FOR UPDATE, not the write path, which never locks this row.
     */
    private static final String HOLD_AGAINST_ERASURE = """
            SELECT member_id FROM members WHERE member_id = ANY($1) AND erased_at IS NULL
             ORDER BY member_id FOR KEY SHARE""";

    Uni<java.util.Set<UUID>> holdAgainstErasure(SqlClient transaction, java.util.Collection<UUID> memberIds) {
        return transaction.preparedQuery(HOLD_AGAINST_ERASURE).execute(Tuple.of(memberIds.toArray(UUID[]::new)))
                .map(rows -> {
                    java.util.Set<UUID> held = new java.util.HashSet<>();
                    rows.forEach(row -> held.add(row.getUUID("member_id")));
                    return held;
                });
    }

    /** The members holding these external ids (an erased member holds none). */
    Uni<java.util.Map<String, UUID>> byExternalId(java.util.Collection<String> externalIds) {
        return pool.preparedQuery(BY_EXTERNAL_ID).execute(io.vertx.mutiny.sqlclient.Tuple.of(externalIds.toArray(String[]::new)))
                .map(rows -> {
                    java.util.Map<String, UUID> members = new java.util.HashMap<>();
                    rows.forEach(row -> members.put(row.getString("external_id"), row.getUUID("member_id")));
                    return members;
                });
    }

    MemberRepository(Pool pool) {
        this.pool = pool;
    }

    /** The new member's row, or null when the external id is taken. */
    Uni<StoredMember> enroll(StoredMember member, byte[] emailIndex, byte[] phoneIndex) {
        Tuple arguments = Tuple.tuple()
                .addUUID(member.memberId())
                .addString(member.externalId())
                .addString(member.nameEncrypted())
                .addString(member.emailEncrypted())
                .addString(member.phoneEncrypted())
                .addString(member.birthDateEncrypted())
                .addValue(emailIndex == null ? null : Buffer.buffer(emailIndex))
                .addValue(phoneIndex == null ? null : Buffer.buffer(phoneIndex))
                .addString(member.channel().name())
                .addString(member.region())
                .addString(member.language())
                .addString(member.genderEncrypted());
        return pool.preparedQuery(ENROLL).execute(arguments).map(rows -> first(rows));
    }

    /** The member, locked in {@code transaction}, or null. */
    Uni<StoredMember> findForUpdate(SqlClient transaction, UUID memberId) {
        return transaction.preparedQuery(FIND_FOR_UPDATE).execute(Tuple.of(memberId)).map(MemberRepository::first);
    }

    /** The member, or null. */
    Uni<StoredMember> find(UUID memberId) {
        return pool.preparedQuery(FIND).execute(Tuple.of(memberId)).map(MemberRepository::first);
    }

    Uni<List<StoredMember>> findByEmailIndex(byte[] index, int limit) {
        return pool.preparedQuery(FIND_BY_EMAIL_INDEX).execute(Tuple.of(Buffer.buffer(index), limit)).map(MemberRepository::all);
    }

    Uni<List<StoredMember>> findByPhoneIndex(byte[] index, int limit) {
        return pool.preparedQuery(FIND_BY_PHONE_INDEX).execute(Tuple.of(Buffer.buffer(index), limit)).map(MemberRepository::all);
    }

    /** A member's birth date, still encrypted. */
    record EncryptedBirthDate(UUID memberId, String birthDateEncrypted) {
    }

    Uni<List<EncryptedBirthDate>> withBirthDates(UUID afterMemberId, int limit) {
        return pool.preparedQuery(WITH_BIRTH_DATES).execute(Tuple.of(afterMemberId, limit)).map(rows -> {
            List<EncryptedBirthDate> members = new ArrayList<>(rows.size());
            rows.forEach(row -> members.add(new EncryptedBirthDate(row.getUUID("member_id"), row.getString("birth_date_encrypted"))));
            return members;
        });
    }

    /** The member's row as changed, or null when it is no longer at {@code version} or was erased. */
    Uni<StoredMember> updateProfile(SqlClient transaction, StoredMember changed, long version, byte[] emailIndex,
            byte[] phoneIndex) {
        Tuple arguments = Tuple.tuple()
                .addUUID(changed.memberId())
                .addLong(version)
                .addString(changed.nameEncrypted())
                .addString(changed.emailEncrypted())
                .addString(changed.phoneEncrypted())
                .addString(changed.birthDateEncrypted())
                .addValue(emailIndex == null ? null : Buffer.buffer(emailIndex))
                .addValue(phoneIndex == null ? null : Buffer.buffer(phoneIndex))
                .addString(changed.region())
                .addString(changed.language())
                .addString(changed.genderEncrypted());
        return transaction.preparedQuery(UPDATE_PROFILE).execute(arguments).map(MemberRepository::first);
    }

    Uni<List<ImportedMembers.Result>> enrollImported(SqlClient transaction, UUID jobId, EnrollmentChannel channel,
            ImportedMembers prepared) {
        int size = prepared.size();
        String[] externalIds = new String[size];
        String[] regions = new String[size];
        String[] languages = new String[size];
        Long[] rowNumbers = new Long[size];
        Buffer[] emailIndexes = new Buffer[size];
        Buffer[] phoneIndexes = new Buffer[size];
        Buffer[] externalIdIndexes = new Buffer[size];
        for (int index = 0; index < size; index++) {
            ImportedMembers.Row row = prepared.rows.get(index);
            externalIds[index] = row.member().externalId();
            regions[index] = row.member().region();
            languages[index] = row.member().language();
            rowNumbers[index] = row.rowNumber();
            emailIndexes[index] = prepared.emailIndex[index] == null ? null : Buffer.buffer(prepared.emailIndex[index]);
            phoneIndexes[index] = prepared.phoneIndex[index] == null ? null : Buffer.buffer(prepared.phoneIndex[index]);
            externalIdIndexes[index] = Buffer.buffer(prepared.externalIdIndex[index]);
        }
        Tuple arguments = Tuple.tuple()
                .addArrayOfUUID(prepared.memberIds)
                .addArrayOfString(externalIds)
                .addArrayOfString(prepared.nameEncrypted)
                .addArrayOfString(prepared.emailEncrypted)
                .addArrayOfString(prepared.phoneEncrypted)
                .addArrayOfString(prepared.birthDateEncrypted)
                .addValue(emailIndexes)
                .addValue(phoneIndexes)
                .addArrayOfString(regions)
                .addArrayOfString(languages)
                .addArrayOfString(prepared.genderEncrypted)
                .addArrayOfLong(rowNumbers)
                .addString(channel.name())
                .addUUID(jobId)
                .addValue(externalIdIndexes);
        Map<String, Long> firstInChunk = new HashMap<>();
        for (int index = 0; index < size; index++) {
            firstInChunk.putIfAbsent(externalIds[index], rowNumbers[index]);
        }
        return transaction.preparedQuery(ENROLL_IMPORTED).execute(arguments).map(rows -> {
            List<ImportedMembers.Result> results = new ArrayList<>(rows.size());
            int index = 0;
            for (Row row : rows) {
                results.add(result(row, jobId, firstInChunk, externalIds[index++]));
            }
            return results;
        });
    }

    /**
     * A row not claimed was held before this statement (by an earlier chunk of this import: a
     * duplicate; by anything else, a person who came back after erasure included: an existing
     * member), the external id of an erased member (refused), claimed by an earlier row of this
     * chunk ({@code firstInChunk}: a duplicate), or claimed meanwhile by a concurrent enrollment
     * (an existing member).
     */
    private static ImportedMembers.Result result(Row row, UUID jobId, Map<String, Long> firstInChunk, String externalId) {
        long rowNumber = row.getLong("import_row");
        if (row.getBoolean("claimed")) {
            return new ImportedMembers.Result(rowNumber, ImportedMembers.Outcome.ENROLLED, null);
        }
        if (!row.getBoolean("held_before")) {
            if (row.getBoolean("erased")) {
                return new ImportedMembers.Result(rowNumber, ImportedMembers.Outcome.ERASED, null);
            }
            Long firstRow = firstInChunk.get(externalId);
            return firstRow != null && firstRow < rowNumber
                    ? new ImportedMembers.Result(rowNumber, ImportedMembers.Outcome.DUPLICATE_IN_FILE, firstRow)
                    : new ImportedMembers.Result(rowNumber, ImportedMembers.Outcome.EXISTING, null);
        }
        return jobId.equals(row.getUUID("import_job_id"))
                ? new ImportedMembers.Result(rowNumber, ImportedMembers.Outcome.DUPLICATE_IN_FILE, row.getLong("held_by_row"))
                : new ImportedMembers.Result(rowNumber, ImportedMembers.Outcome.EXISTING, null);
    }

    /** Clears personal data, its indexes and the external id; false when no such member. */
    Uni<Boolean> erase(SqlClient transaction, UUID memberId, byte[] externalIdIndex) {
        return transaction.preparedQuery(ERASE)
                .execute(Tuple.of(memberId, externalIdIndex == null ? null : Buffer.buffer(externalIdIndex)))
                .map(rows -> rows.size() == 1);
    }

    private static StoredMember first(RowSet<Row> rows) {
        return rows.size() == 0 ? null : toStored(rows.iterator().next());
    }

    private static List<StoredMember> all(RowSet<Row> rows) {
        List<StoredMember> members = new ArrayList<>(rows.size());
        rows.forEach(row -> members.add(toStored(row)));
        return members;
    }

    private static StoredMember toStored(Row row) {
        return new StoredMember(row.getUUID("member_id"), row.getString("external_id"), row.getString("name"),
                row.getString("name_encrypted"), row.getString("email_encrypted"), row.getString("phone_encrypted"),
                row.getString("birth_date_encrypted"), row.getString("region"), row.getString("language"),
                row.getString("gender_encrypted"), EnrollmentChannel.valueOf(row.getString("enrollment_channel")),
                row.getOffsetDateTime("enrolled_at"), row.getOffsetDateTime("erased_at"), row.getLong("version"));
    }

    /**
     * A members row as stored: personal data still encrypted. {@code name} is the plaintext name
     * of a member enrolled before names were encrypted, null for every later one.
     */
    record StoredMember(UUID memberId, String externalId, String name, String nameEncrypted, String emailEncrypted,
            String phoneEncrypted, String birthDateEncrypted, String region, String language, String genderEncrypted,
            EnrollmentChannel channel, java.time.OffsetDateTime enrolledAt, java.time.OffsetDateTime erasedAt,
            long version) {

        static LocalDate parseDate(String value) {
            return value == null ? null : LocalDate.parse(value);
        }
    }
}
