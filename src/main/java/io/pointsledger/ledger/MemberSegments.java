package io.pointsledger.ledger;

import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.sqlclient.SqlClient;
import java.util.Map;
import java.util.Set;
import java.util.UUID;

/**
 * Which of some segments admit which of some members, read on the write path's own connection when
 * a campaign in force names a segment: the campaigns then decide on it like on the member's tier.
 */
public interface MemberSegments {

    /** For each of {@code memberIds}, those of {@code segmentIds} that admit them now (members admitted by none left out). */
    Uni<Map<UUID, Set<UUID>>> admitted(SqlClient client, Set<UUID> segmentIds, Set<UUID> memberIds);
}
