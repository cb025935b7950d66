package io.pointsledger.deploy;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.pointsledger.support.OwnerDatabase;
import io.quarkus.test.junit.QuarkusTest;
import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.mutiny.sqlclient.SqlConnection;
import jakarta.inject.Inject;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;

/**
 * The migrated schema can be split by member with the calls deploy/SCALING.md gives (Citus): every
 * table placed once, each unique key of a split table holding its distribution column, each
 * foreign key within a colocation group through it or to a reference table. A migration that adds
 * a table or a key breaking this fails here by name.
 */
@QuarkusTest
class DistributionReadySchemaTest {

    private static final Path SCALING = Path.of("deploy/SCALING.md");
    private static final Duration TIMEOUT = Duration.ofSeconds(10);

    @Inject
    Pool pool;

    @Inject
    OwnerDatabase owner;

    @Test
    void shouldFollowTheRulesOfTheDistributionTheScalingGuideGives() {
        DistributionLayout layout = DistributionLayout.parse(DeploymentManifests.read(SCALING));

        assertTrue(layout.tablesPlaced() >= 20, "the guide's calls were read: " + layout.tablesPlaced());
        assertEquals(List.of(), layout.problems(pool));
    }

    /** The rules catch what Citus would refuse, shown on tables made and dropped in one transaction. */
    @Test
    void shouldReportAKeyOrAReferenceThatCannotBeSplitByMember() {
        DistributionLayout layout = DistributionLayout.parse(DeploymentManifests.read(SCALING) + """
                SELECT create_distributed_table('member_vouchers', 'member_id', colocate_with => 'members');
                SELECT create_reference_table('voucher_kinds');""");
        SqlConnection connection = owner.pool().getConnection().await().atMost(TIMEOUT);
        try {
            connection.query("BEGIN").execute().await().atMost(TIMEOUT);
            connection.query("""
                    CREATE TABLE member_vouchers (voucher_id uuid PRIMARY KEY, member_id uuid, transfer_id uuid,
                                                  FOREIGN KEY (transfer_id, voucher_id) REFERENCES transfers (transfer_id, member_id));
                    CREATE TABLE voucher_kinds (kind text PRIMARY KEY, member_id uuid REFERENCES members (member_id));
                    CREATE TABLE unplaced (id bigint PRIMARY KEY)""").execute().await().atMost(TIMEOUT);

            List<String> problems = layout.problems(connection);

            assertEquals(Set.of(
                    "unplaced: not placed (neither create_distributed_table nor create_reference_table)",
                    "member_vouchers.member_id: the distribution column may be NULL",
                    "member_vouchers: unique index member_vouchers_pkey [voucher_id] does not hold the distribution column member_id",
                    "member_vouchers: foreign key member_vouchers_transfer_id_voucher_id_fkey to transfers: "
                            + "[transfer_id, voucher_id] -> [transfer_id, member_id] does not join member_id to member_id",
                    "voucher_kinds: foreign key voucher_kinds_member_id_fkey to members: "
                            + "a reference table may refer only to reference tables"),
                    Set.copyOf(problems));
            assertEquals(5, problems.size(), problems.toString());
        } finally {
            connection.query("ROLLBACK").execute().onFailure().recoverWithNull().await().atMost(TIMEOUT);
            connection.close().await().atMost(TIMEOUT);
        }
    }
}
