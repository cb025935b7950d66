package io.pointsledger.ledger;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import io.pointsledger.platform.DatabaseConfig;
import io.pointsledger.program.ProgramConfig;
import io.pointsledger.support.LedgerApi;
import io.quarkus.test.junit.QuarkusTest;
import io.vertx.mutiny.sqlclient.Pool;
import jakarta.inject.Inject;
import java.time.Duration;
import java.time.OffsetDateTime;
import java.util.List;
import java.util.UUID;
import org.junit.jupiter.api.Test;

/**
 * A batch that cannot be decided because the campaigns are not loaded yet fails, and gives its
 * connection back: far more such batches than the pool has connections each fail at once, where
 * a leaked connection per batch would leave the later ones waiting for one until they time out.
 * Writes the campaigns do not decide (a redeem) go through meanwhile.
 */
@QuarkusTest
class CampaignsNotLoadedTest {

    private static final int BATCHES = 100;

    @Inject
    Pool pool;
    @Inject
    MemberSegments memberSegments;

    @Inject
    LedgerWriteRepository repository;

    @Inject
    ProgramConfig program;

    @Inject
    DatabaseConfig database;

    @Inject
    BalanceCache cache;

    @Test
    void shouldGiveTheConnectionBackWhenAnEarnFindsTheCampaignsNotLoaded() {
        BonusRules notLoaded = new BonusRules() {
            @Override
            public boolean ready() {
                return false;
            }

            @Override
            public PurchaseBonuses inForce() {
                throw new IllegalStateException("not loaded");
            }
        };
        LedgerWriter writer = new LedgerWriter(pool, repository, program, database, cache, notLoaded, memberSegments);
        UUID memberId = LedgerApi.enrollWithPoints(100);

        for (int batch = 0; batch < BATCHES; batch++) {
            Posting earn = posting(TransferKind.EARN, memberId, PostingFields.earn(null, 1_000, "USD", "POS", "o", null,
                    List.of(), OffsetDateTime.now().plusDays(365)));
            IllegalStateException refused = assertThrows(IllegalStateException.class,
                    () -> writer.write(List.of(earn), Duration.ofHours(1), OffsetDateTime.now()).await().atMost(Duration.ofSeconds(5)));
            assertEquals("not loaded", refused.getMessage());
        }
        Posting redeem = posting(TransferKind.REDEEM, memberId, PostingFields.redeem(10, "POS", "o"));
        List<PostingResult> redeemed = writer.write(List.of(redeem), Duration.ofHours(1), OffsetDateTime.now())
                .await().atMost(Duration.ofSeconds(5));
        assertEquals(PostingOutcome.APPLIED, redeemed.get(0).outcome());
        assertEquals(90, LedgerApi.available(memberId));
    }

    private static Posting posting(TransferKind kind, UUID memberId, PostingFields fields) {
        return new Posting("operator", true, null, null, null, null, kind, memberId, null, fields);
    }
}
