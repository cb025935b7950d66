package io.pointsledger.rewards;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.pointsledger.support.Database;
import io.pointsledger.support.LedgerApi;
import io.pointsledger.support.LocalMessageProviders;
import io.quarkus.test.junit.QuarkusTest;
import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.sqlclient.Pool;
import jakarta.inject.Inject;
import java.time.Duration;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import org.junit.jupiter.api.Test;

@QuarkusTest
class RewardReminderTest {

    private static final Duration DELIVERY_WAIT = Duration.ofSeconds(30);

    @Inject
    Pool pool;

    @Inject
    RewardReminders reminders;

    @Test
    void shouldEmailTheMemberHoldingASeatTheDayBeforeTheEventOnce() {
        String email = "seat-" + UUID.randomUUID().toString().substring(0, 8) + "@example.com";
        UUID memberId = LedgerApi.enrollReachableByEmail(email);
        LedgerApi.earnPoints(memberId, "seat-points-" + memberId, 500).then().statusCode(201);
        UUID rewardId = Rewards.create(Rewards.experience(100, 5, OffsetDateTime.now(ZoneOffset.UTC).plusHours(3), null));
        UUID claimId = claim(memberId, rewardId);

        reminders.remindDue().await().atMost(DELIVERY_WAIT);
        reminders.remindDue().await().atMost(DELIVERY_WAIT);

        await().atMost(DELIVERY_WAIT).until(() -> LocalMessageProviders.distinct(LocalMessageProviders.mails(email)) == 1);
        assertEquals("Reminder: Preview evening", LocalMessageProviders.mails(email).get(0).get("subject"));
        await().atMost(DELIVERY_WAIT).until(() -> remindersOf(memberId) == 1);
        assertTrue(Database.single(pool, "SELECT reminded_at IS NOT NULL FROM reward_claims WHERE claim_id = $1", claimId)
                .getBoolean(0));
    }

    @Test
    void shouldNotRemindOfAnEventBeyondThePeriodNorOfACancelledSeat() {
        UUID memberId = LedgerApi.enrollWithPoints(500);
        UUID later = Rewards.create(Rewards.experience(100, 5, OffsetDateTime.now(ZoneOffset.UTC).plusDays(3), null));
        UUID soon = Rewards.create(Rewards.experience(100, 5, OffsetDateTime.now(ZoneOffset.UTC).plusHours(2), null));
        UUID laterClaim = claim(memberId, later);
        UUID cancelledClaim = claim(memberId, soon);
        Rewards.cancel(memberId, cancelledClaim, "cancel-" + cancelledClaim).then().statusCode(200);

        reminders.remindDue().await().atMost(DELIVERY_WAIT);

        assertNull(Database.single(pool, "SELECT reminded_at FROM reward_claims WHERE claim_id = $1", laterClaim)
                .getOffsetDateTime(0));
        assertNull(Database.single(pool, "SELECT reminded_at FROM reward_claims WHERE claim_id = $1", cancelledClaim)
                .getOffsetDateTime(0));
    }

    @Test
    void shouldRemindEachSeatOnceWhenRunsOfSeveralInstancesRace() {
        UUID rewardId = Rewards.create(Rewards.experience(10, 30, OffsetDateTime.now(ZoneOffset.UTC).plusHours(1), null));
        List<UUID> claims = new ArrayList<>();
        for (int index = 0; index < 30; index++) {
            claims.add(claim(LedgerApi.enrollWithPoints(10), rewardId));
        }

        List<Long> reminded = Uni.join().all(List.of(reminders.remindDue(), reminders.remindDue(), reminders.remindDue(),
                reminders.remindDue())).andFailFast().await().atMost(DELIVERY_WAIT);

        assertTrue(reminded.stream().mapToLong(Long::longValue).sum() >= claims.size());
        assertEquals(claims.size(), Database.single(pool, "SELECT count(*) FROM reward_claims WHERE claim_id = ANY($1) "
                + "AND reminded_at IS NOT NULL", (Object) claims.toArray(UUID[]::new)).getLong(0));
        String remindedAt = "SELECT string_agg(reminded_at::text, ',' ORDER BY claim_id) FROM reward_claims WHERE claim_id = ANY($1)";
        String before = Database.single(pool, remindedAt, (Object) claims.toArray(UUID[]::new)).getString(0);
        reminders.remindDue().await().atMost(DELIVERY_WAIT);
        assertEquals(before, Database.single(pool, remindedAt, (Object) claims.toArray(UUID[]::new)).getString(0),
                "a later run reminds none of them again");
    }

    private long remindersOf(UUID memberId) {
        return Database.single(pool, "SELECT count(*) FROM member_messages WHERE member_id = $1 AND kind = 'REWARD_REMINDER'",
                memberId).getLong(0);
    }

    private static UUID claim(UUID memberId, UUID rewardId) {
        return UUID.fromString(Rewards.claim(memberId, rewardId, "seat-" + memberId + "-" + rewardId)
                .then().statusCode(201).extract().path("claimId"));
    }

}
