package io.pointsledger.members;

import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.mutiny.sqlclient.Row;
import io.vertx.mutiny.sqlclient.Tuple;
import jakarta.enterprise.context.ApplicationScoped;
import java.util.UUID;

/** All SQL about members. */
@ApplicationScoped
public class MemberRepository {

    /**
     * Enrolling opens the member's account in the same statement, so that no member ever exists
     * without one. An existing external id inserts nothing and returns no row.
     */
    private static final String ENROLL = """
            WITH member AS (
                INSERT INTO members (member_id, external_id, name, email, phone, birth_date, enrollment_channel)
                VALUES ($1, $2, $3, $4, $5, $6, $7)
                ON CONFLICT (external_id) DO NOTHING
                RETURNING *
            ), account AS (
                INSERT INTO member_accounts (member_id) SELECT member_id FROM member RETURNING member_id
            )
            SELECT member.* FROM member JOIN account USING (member_id)""";

    private static final String FIND = """
            SELECT member_id, external_id, name, email, phone, birth_date, enrollment_channel, enrolled_at
              FROM members WHERE member_id = $1""";

    private final Pool pool;

    MemberRepository(Pool pool) {
        this.pool = pool;
    }

    /** The new member, or null when the external id is taken. */
    Uni<MemberProfile> enroll(UUID memberId, EnrollMemberRequest request) {
        Tuple arguments = Tuple.tuple()
                .addUUID(memberId)
                .addString(request.externalId())
                .addString(request.name())
                .addString(request.email())
                .addString(request.phone())
                .addLocalDate(request.birthDate())
                .addString(request.channel().name());
        return pool.preparedQuery(ENROLL).execute(arguments)
                .map(rows -> rows.size() == 0 ? null : toProfile(rows.iterator().next()));
    }

    /** The member, or null. */
    Uni<MemberProfile> find(UUID memberId) {
        return pool.preparedQuery(FIND).execute(Tuple.of(memberId))
                .map(rows -> rows.size() == 0 ? null : toProfile(rows.iterator().next()));
    }

    private static MemberProfile toProfile(Row row) {
        return new MemberProfile(row.getUUID("member_id"), row.getString("external_id"), row.getString("name"),
                row.getString("email"), row.getString("phone"), row.getLocalDate("birth_date"),
                EnrollmentChannel.valueOf(row.getString("enrollment_channel")), row.getOffsetDateTime("enrolled_at"));
    }
}
