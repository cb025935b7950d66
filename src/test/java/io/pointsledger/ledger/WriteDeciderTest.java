package io.pointsledger.ledger;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.pointsledger.program.ProgramConfig;
import io.pointsledger.tiers.Tier;
import io.vertx.core.json.JsonObject;
import java.nio.charset.StandardCharsets;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * The rules of every write, without a database: {@link WriteDecider} given a state as the batch
 * reads it. Each rule has its test here; the ledger tests prove the same through HTTP and SQL.
 */
class WriteDeciderTest {

    private static final OffsetDateTime NOW = OffsetDateTime.of(2026, 6, 1, 12, 0, 0, 0, ZoneOffset.UTC);
    private static final WriteDecider.Rules RULES = rules(ProgramConfig.ReversalPolicy.NEGATIVE_BALANCE);
    private static final String PARTNER = "till";

    private final UUID member = UUID.randomUUID();
    private final Map<UUID, LedgerState.Account> accounts = new HashMap<>();
    private final Map<LedgerState.AnswerKey, LedgerState.StoredAnswer> answers = new HashMap<>();
    private final Map<UUID, LedgerState.HoldRow> holds = new HashMap<>();
    private final Map<UUID, LedgerState.Original> originals = new HashMap<>();
    private final Map<UUID, LedgerState.Target> targets = new HashMap<>();
    private final List<LedgerState.LotRow> lots = new ArrayList<>();
    private final List<LedgerState.Restorable> restorable = new ArrayList<>();
    private final java.util.Set<UUID> migrated = new java.util.HashSet<>();
    private final java.util.Set<UUID> historyPosted = new java.util.HashSet<>();
    private long nextLotId = 1;
    private final Map<UUID, LedgerState.RewardRow> rewards = new HashMap<>();
    private final Map<LedgerState.RewardMember, Long> activeClaims = new HashMap<>();
    private final Map<UUID, LedgerState.ClaimRow> claims = new HashMap<>();
    private final Map<UUID, LedgerState.CauseRow> causes = new HashMap<>();

    private static WriteDecider.Rules rules(ProgramConfig.ReversalPolicy policy) {
        return new WriteDecider.Rules(100, Map.of(Tier.BASIC, 10_000L, Tier.SILVER, 15_000L, Tier.GOLD, 20_000L), policy, 90,
                ZoneOffset.UTC);
    }

    private void account(Tier tier, long posted, long held) {
        accounts.put(member, new LedgerState.Account(member, tier, posted, held, 7));
    }

    private long lot(long remaining, int expiresInDays, UUID source) {
        long lotId = nextLotId++;
        lots.add(new LedgerState.LotRow(lotId, member, source, NOW.plusDays(expiresInDays), remaining));
        return lotId;
    }

    private UUID pendingHold(String partner, long points, int expiresInMinutes) {
        UUID holdId = UUID.randomUUID();
        holds.put(holdId, new LedgerState.HoldRow(holdId, member, partner, points, LedgerState.HoldState.PENDING, 0, "order",
                "POS", NOW.plusMinutes(expiresInMinutes)));
        targets.put(holdId, new LedgerState.Target(holdId, TransferKind.HOLD, member, partner));
        return holdId;
    }

    private UUID original(TransferKind kind, long points, long reversed) {
        UUID transferId = UUID.randomUUID();
        originals.put(transferId, new LedgerState.Original(transferId, kind, member, PARTNER, points, "POS", "order", reversed));
        targets.put(transferId, new LedgerState.Target(transferId, kind, member, PARTNER));
        return transferId;
    }

    private Posting write(TransferKind kind, UUID targetId, PostingFields fields) {
        String key = UUID.randomUUID().toString();
        return new Posting(PARTNER, false, null, key, key.getBytes(StandardCharsets.UTF_8), null, kind,
                targetId == null ? member : null, targetId, fields);
    }

    private static PostingFields earnFor(long amount) {
        return PostingFields.earn(null, amount, "USD", "POS", "order", null, List.of(), NOW.plusMonths(12));
    }

    private WriteDecider.Decided decide(WriteDecider.Rules rules, Posting... postings) {
        LedgerState state = new LedgerState(accounts, answers, holds, originals, lots, restorable,
                LedgerWriteRepository.BonusState.NONE, migrated, historyPosted,
                new LedgerState.RewardState(rewards, activeClaims, claims, causes), Map.of());
        return WriteDecider.decide(List.of(postings), targets, state, rules, PurchaseBonuses.NONE, NOW);
    }

    private WriteDecider.Decided decide(Posting... postings) {
        return decide(RULES, postings);
    }

    @Test
    void shouldCreditAnOpeningBalanceOnceAMemberWithTheOldSystemsExpiry() {
        account(Tier.BASIC, 0, 0);
        OffsetDateTime oldExpiry = NOW.plusDays(40);
        WriteDecider.Decided decided = decide(
                write(TransferKind.MIGRATION, null, PostingFields.migration(500, "OLD-1", "opening", oldExpiry)),
                write(TransferKind.MIGRATION, null, PostingFields.migration(700, "OLD-2", "opening", oldExpiry)));

        assertEquals(PostingOutcome.APPLIED, decided.results().get(0).outcome());
        assertEquals(PostingOutcome.ALREADY_MIGRATED, decided.results().get(1).outcome(), "a second in the same batch");
        assertEquals(500, decided.results().get(0).account().posted());
        assertEquals(1, decided.effects().transfers.size());
        assertEquals(oldExpiry, decided.effects().newLots.keySet().iterator().next().expiresAt());
    }

    @Test
    void shouldRefuseAnOpeningBalanceToAMemberWhoHasOne() {
        account(Tier.BASIC, 500, 0);
        migrated.add(member);
        WriteDecider.Decided decided = decide(write(TransferKind.MIGRATION, null,
                PostingFields.migration(500, null, "opening", NOW.plusDays(40))));

        assertEquals(PostingOutcome.ALREADY_MIGRATED, decided.results().get(0).outcome());
        assertEquals(true, decided.effects().isEmpty());
    }

    /** The operator's earn of a purchase from before the program, under its own key. */
    private Posting historicalEarn(long points) {
        String key = HistoricalEarn.key(UUID.randomUUID());
        return new Posting(io.pointsledger.partners.Caller.OPERATOR_ID, true, null, key, key.getBytes(StandardCharsets.UTF_8), null,
                TransferKind.EARN, member, null, PostingFields.earn(points, points * 100, "USD", null, "OLD-ORDER", NOW.minusMonths(2),
                        List.of(), NOW.plusMonths(10)));
    }

    @Test
    void shouldTakeAMembersPastOnceByAnOpeningBalanceOrByItsPurchasesPointsNeverBoth() {
        account(Tier.BASIC, 0, 0);
        WriteDecider.Decided decided = decide(historicalEarn(40), historicalEarn(60),
                write(TransferKind.MIGRATION, null, PostingFields.migration(500, "OLD-1", "opening", NOW.plusDays(40))));

        assertEquals(List.of(PostingOutcome.APPLIED, PostingOutcome.APPLIED, PostingOutcome.ALREADY_MIGRATED),
                decided.results().stream().map(PostingResult::outcome).toList(), "past purchases' earns, then no opening balance");
        assertEquals(100, decided.results().get(1).account().posted());

        migrated.add(member);
        assertEquals(PostingOutcome.ALREADY_MIGRATED, decide(historicalEarn(40)).results().get(0).outcome(),
                "no past purchase's earn for a member with an opening balance");
        assertEquals(PostingOutcome.APPLIED, decide(write(TransferKind.EARN, null, earnFor(12_345))).results().get(0).outcome(),
                "a purchase made in the program earns as ever");
    }

    @Test
    void shouldEarnTheAmountTimesTheTierMultiplierRoundedDown() {
        account(Tier.SILVER, 0, 0);
        WriteDecider.Decided decided = decide(write(TransferKind.EARN, null, earnFor(12_345)));

        assertEquals(185, decided.results().get(0).receipt().getLong("points"), "12 345 x 1.5 / 100");
        assertEquals(185L, decided.effects().newLots.values().iterator().next());
    }

    @Test
    void shouldRefuseAnEarnWorthLessThanOnePointAndWriteNothing() {
        account(Tier.BASIC, 0, 0);
        WriteDecider.Decided decided = decide(write(TransferKind.EARN, null, earnFor(99)));

        assertEquals(PostingOutcome.NO_POINTS_EARNED, decided.results().get(0).outcome());
        assertEquals(99L, decided.results().get(0).receipt().getLong("amount"));
        assertEquals(true, decided.effects().isEmpty());
    }

    @Test
    void shouldRepayADebtBeforeCreatingALot() {
        account(Tier.BASIC, -30, 0);
        WriteDecider.Decided decided = decide(write(TransferKind.EARN, null, earnFor(10_000)));

        assertEquals(70L, decided.effects().newLots.values().iterator().next(), "100 points, 30 of them repay the debt");
        assertEquals(70, decided.results().get(0).account().posted());
    }

    @Test
    void shouldSpendTheSoonestExpiringLotsFirst() {
        account(Tier.BASIC, 100, 0);
        long later = lot(60, 200, UUID.randomUUID());
        long sooner = lot(40, 20, UUID.randomUUID());
        WriteDecider.Decided decided = decide(write(TransferKind.REDEEM, null, PostingFields.redeem(50, "POS", "order")));

        assertEquals(Map.of(sooner, -40L, later, -10L), decided.effects().lotChanges);
        assertEquals(50, decided.results().get(0).account().posted());
    }

    @Test
    void shouldFailTheBatchRatherThanSpendFewerLotsThanTheBalanceHolds() {
        account(Tier.BASIC, 100, 0);
        lot(30, 20, UUID.randomUUID());

        IllegalStateException failure = assertThrows(IllegalStateException.class,
                () -> decide(write(TransferKind.REDEEM, null, PostingFields.redeem(50, "POS", "order"))));
        assertTrue(failure.getMessage().contains("hold 30 points of 100"), failure.getMessage());
    }

    @Test
    void shouldNeverSpendPointsAHoldReservedEvenWithinOneBatch() {
        account(Tier.BASIC, 100, 0);
        lot(100, 30, UUID.randomUUID());
        WriteDecider.Decided decided = decide(
                write(TransferKind.HOLD, null, PostingFields.hold(80, "POS", "cart", NOW.plusMinutes(15))),
                write(TransferKind.REDEEM, null, PostingFields.redeem(30, "POS", "order")));

        assertEquals(PostingOutcome.APPLIED, decided.results().get(0).outcome());
        assertEquals(PostingOutcome.INSUFFICIENT_POINTS, decided.results().get(1).outcome());
        assertEquals(new JsonObject().put("available", 20L).put("requested", 30L), decided.results().get(1).receipt());
        assertEquals(1, decided.effects().transfers.size());
    }

    @Test
    void shouldCaptureLessThanHeldAndReleaseTheWholeHold() {
        account(Tier.BASIC, 100, 80);
        lot(100, 30, UUID.randomUUID());
        UUID holdId = pendingHold(PARTNER, 80, 10);
        WriteDecider.Decided decided = decide(write(TransferKind.CAPTURE, holdId, PostingFields.capture(50L)),
                write(TransferKind.CAPTURE, holdId, PostingFields.capture(null)));

        JsonObject receipt = decided.results().get(0).receipt();
        assertEquals("CAPTURED", receipt.getString("status"));
        assertEquals(50, receipt.getLong("capturedPoints"));
        assertEquals(50, receipt.getLong("posted"));
        assertEquals(0, receipt.getLong("held"));
        assertEquals(PostingOutcome.HOLD_NOT_PENDING, decided.results().get(1).outcome(), "one capture per hold");
        assertEquals("CAPTURED", decided.results().get(1).receipt().getString("status"));
    }

    @Test
    void shouldRefuseToResolveAHoldPastItsExpiryOrCaptureMoreThanItHolds() {
        account(Tier.BASIC, 100, 80);
        UUID expired = pendingHold(PARTNER, 30, -1);
        UUID pending = pendingHold(PARTNER, 50, 10);
        WriteDecider.Decided decided = decide(write(TransferKind.VOID, expired, PostingFields.voiding()),
                write(TransferKind.CAPTURE, pending, PostingFields.capture(51L)));

        assertEquals(PostingOutcome.HOLD_NOT_PENDING, decided.results().get(0).outcome());
        assertEquals("EXPIRED", decided.results().get(0).receipt().getString("status"));
        assertEquals(PostingOutcome.CAPTURE_EXCEEDS_HOLD, decided.results().get(1).outcome());
        assertEquals(true, decided.effects().isEmpty());
    }

    @Test
    void shouldNotShowAnotherPartnersHoldOrTransfer() {
        account(Tier.BASIC, 100, 10);
        UUID theirs = pendingHold("airline", 10, 10);
        UUID theirTransfer = UUID.randomUUID();
        targets.put(theirTransfer, new LedgerState.Target(theirTransfer, TransferKind.EARN, member, "airline"));
        WriteDecider.Decided decided = decide(write(TransferKind.VOID, theirs, PostingFields.voiding()),
                write(TransferKind.REVERSAL, theirTransfer, PostingFields.reversal(null, "return", NOW)),
                write(TransferKind.CAPTURE, UUID.randomUUID(), PostingFields.capture(null)));

        assertEquals(List.of(PostingOutcome.HOLD_NOT_FOUND, PostingOutcome.TRANSFER_NOT_FOUND, PostingOutcome.HOLD_NOT_FOUND),
                decided.results().stream().map(PostingResult::outcome).toList());
    }

    @Test
    void shouldTakeBackAReturnedEarnFromItsOwnLotFirst() {
        account(Tier.BASIC, 100, 0);
        UUID earn = original(TransferKind.EARN, 60, 0);
        long older = lot(40, 10, UUID.randomUUID());
        long earned = lot(60, 300, earn);
        WriteDecider.Decided decided = decide(write(TransferKind.REVERSAL, earn, PostingFields.reversal(50L, "return", NOW)));

        assertEquals(Map.of(earned, -50L), decided.effects().lotChanges, "not the sooner-expiring lot " + older);
        assertEquals(-50, decided.results().get(0).receipt().getLong("postedDelta"));
    }

    @Test
    void shouldTakeBackOnlyWhatIsAvailableWhenThePolicyClampsAtZero() {
        account(Tier.BASIC, 20, 0);
        UUID earn = original(TransferKind.EARN, 60, 0);
        lot(20, 300, earn);
        WriteDecider.Decided clamped = decide(rules(ProgramConfig.ReversalPolicy.CLAMP_TO_ZERO),
                write(TransferKind.REVERSAL, earn, PostingFields.reversal(null, "return", NOW)));
        WriteDecider.Decided negative = decide(write(TransferKind.REVERSAL, earn, PostingFields.reversal(null, "return", NOW)));

        assertEquals(-20, clamped.results().get(0).receipt().getLong("postedDelta"));
        assertEquals(60, clamped.results().get(0).receipt().getLong("points"));
        assertEquals(-40, negative.results().get(0).account().posted(), "the member owes 40");
    }

    @Test
    void shouldRefundToTheLotsTheRedeemSpentLatestExpiryFirstKeepingTheirDates() {
        account(Tier.BASIC, 0, 0);
        UUID redeem = original(TransferKind.REDEEM, 90, 0);
        long sooner = nextLotId++;
        long later = nextLotId++;
        restorable.add(new LedgerState.Restorable(redeem, sooner, member, UUID.randomUUID(), NOW.plusDays(5), 0, 50));
        restorable.add(new LedgerState.Restorable(redeem, later, member, UUID.randomUUID(), NOW.plusDays(50), 0, 40));
        WriteDecider.Decided decided = decide(
                write(TransferKind.REVERSAL, redeem, PostingFields.reversal(60L, "refund", NOW.plusMonths(12))),
                write(TransferKind.REVERSAL, redeem, PostingFields.reversal(null, "refund", NOW.plusMonths(12))),
                write(TransferKind.REVERSAL, redeem, PostingFields.reversal(1L, "refund", NOW.plusMonths(12))));

        assertEquals(Map.of(later, 40L, sooner, 50L), decided.effects().lotChanges);
        assertEquals(true, decided.effects().newLots.isEmpty(), "every point went back to a lot it came from");
        assertEquals(30, decided.results().get(1).receipt().getLong("points"), "what was left of the redeem");
        assertEquals(PostingOutcome.REVERSAL_EXCEEDS_ORIGINAL, decided.results().get(2).outcome());
        assertEquals(new JsonObject().put("original", 90L).put("alreadyReversed", 90L).put("requested", 1L),
                decided.results().get(2).receipt());
    }

    @Test
    void shouldRefuseToReverseAHold() {
        account(Tier.BASIC, 100, 10);
        UUID hold = original(TransferKind.HOLD, 10, 0);
        WriteDecider.Decided decided = decide(write(TransferKind.REVERSAL, hold, PostingFields.reversal(null, "no", NOW)));

        assertEquals(PostingOutcome.TRANSFER_NOT_REVERSIBLE, decided.results().get(0).outcome());
    }

    @Test
    void shouldOverdrawByAdjustmentOnlyWhenAllowedAndAuditItWithTheKeyUsed() {
        account(Tier.BASIC, 10, 0);
        lot(10, 30, UUID.randomUUID());
        UUID keyId = UUID.randomUUID();
        Posting refused = write(TransferKind.ADJUSTMENT, null, PostingFields.adjustment(-25, "fix", false, NOW));
        Posting allowed = new Posting("operator", true, keyId, "fix-1", new byte[] {1}, null, TransferKind.ADJUSTMENT, member,
                null, PostingFields.adjustment(-25, "fix", true, NOW));
        WriteDecider.Decided decided = decide(refused, allowed);

        assertEquals(PostingOutcome.INSUFFICIENT_POINTS, decided.results().get(0).outcome());
        assertEquals(-15, decided.results().get(1).account().posted());
        BatchEffects.Audit audit = decided.effects().audits.get(0);
        assertEquals(keyId, audit.apiKeyId());
        assertEquals("POINTS_ADJUSTED", audit.action());
    }

    @Test
    void shouldReplayARetryInTheSameBatchAndRefuseAKeyReusedForAnotherRequest() {
        account(Tier.BASIC, 0, 0);
        Posting first = write(TransferKind.EARN, null, earnFor(10_000));
        Posting retry = new Posting(first.partnerId(), false, null, first.idempotencyKey(), first.fingerprint(), null,
                first.kind(), member, null, first.fields());
        Posting other = new Posting(first.partnerId(), false, null, first.idempotencyKey(), new byte[] {9}, null,
                first.kind(), member, null, earnFor(20_000));
        WriteDecider.Decided decided = decide(first, retry, other);

        assertEquals(PostingOutcome.REPLAYED, decided.results().get(1).outcome());
        assertEquals(decided.results().get(0).receipt(), decided.results().get(1).receipt());
        assertEquals(PostingOutcome.IDEMPOTENCY_KEY_REUSED, decided.results().get(2).outcome());
        assertEquals(1, decided.effects().transfers.size());
        assertArrayEquals(first.fingerprint(), decided.effects().answers.get(0).fingerprint());
    }

    @Test
    void shouldRefuseAWriteForAMemberWithoutAnAccount() {
        WriteDecider.Decided decided = decide(write(TransferKind.EARN, null, earnFor(10_000)));

        assertEquals(PostingOutcome.MEMBER_NOT_FOUND, decided.results().get(0).outcome());
        assertNull(decided.results().get(0).account());
    }

    private Posting job(TransferKind kind, UUID memberId, UUID targetId) {
        return new Posting("operator", true, null, null, null, null, kind, memberId, targetId, PostingFields.none());
    }

    @Test
    void shouldExpireOnlyPointsPastTheirDateAndNeverThoseAHoldReserves() {
        account(Tier.BASIC, 100, 70);
        long due = lot(50, -1, UUID.randomUUID());
        lot(50, 30, UUID.randomUUID());
        WriteDecider.Decided decided = decide(job(TransferKind.EXPIRY, member, null));

        assertEquals(Map.of(due, -30L), decided.effects().lotChanges, "30 available of the 50 due; the hold keeps the rest");
        assertEquals(70, decided.results().get(0).account().posted());
        assertEquals(true, decided.effects().answers.isEmpty(), "a job's write has no idempotency key");
        assertEquals(1, decided.effects().events.size());
    }

    @Test
    void shouldReleaseAHoldPastItsExpiryOnlyWhileItIsPending() {
        account(Tier.BASIC, 100, 30);
        UUID expired = pendingHold(PARTNER, 30, -1);
        WriteDecider.Decided decided = decide(write(TransferKind.CAPTURE, expired, PostingFields.capture(null)),
                job(TransferKind.HOLD_EXPIRED, null, expired), job(TransferKind.HOLD_EXPIRED, null, expired));

        assertEquals(List.of(PostingOutcome.HOLD_NOT_PENDING, PostingOutcome.APPLIED, PostingOutcome.NOTHING_DUE),
                decided.results().stream().map(PostingResult::outcome).toList());
        assertEquals(0, decided.results().get(1).account().held());
        assertEquals(LedgerState.HoldState.EXPIRED, decided.effects().resolvedHolds.get(0).status());
        assertEquals(PARTNER, decided.effects().transfers.get(0).partnerId(), "the release is the placing partner's");
    }

    /**
     * Every kind a request writes on the ledger alone, applied: one transfer, one stored answer,
     * one event, the account one version on, and lot remainders that add up to the posted balance.
     * Claims, their cancellations and donations write a second event and rows of their own
     * (the reward and donation tests below).
     */
    @ParameterizedTest
    @EnumSource(value = TransferKind.class, names = {"HOLD_EXPIRED", "EXPIRY", "REWARD_CLAIM", "REWARD_CANCELLATION",
            "DONATION"}, mode = EnumSource.Mode.EXCLUDE)
    void shouldWriteOneTransferAnswerAndEventPerAppliedWriteOfEveryKind(TransferKind kind) {
        account(Tier.BASIC, 100, 40);
        UUID earned = original(TransferKind.EARN, 100, 0);
        long lotId = lot(100, 30, earned);
        UUID holdId = pendingHold(PARTNER, 40, 10);
        PostingFields fields = switch (kind) {
            case EARN -> earnFor(5_000);
            case REDEEM -> PostingFields.redeem(30, "POS", "order");
            case HOLD -> PostingFields.hold(30, "POS", "cart", NOW.plusMinutes(15));
            case CAPTURE -> PostingFields.capture(25L);
            case VOID -> PostingFields.voiding();
            case REVERSAL -> PostingFields.reversal(30L, "return", NOW.plusMonths(12));
            case ADJUSTMENT -> PostingFields.adjustment(-30, "fix", false, NOW);
            case MIGRATION -> PostingFields.migration(30, "OLD-1", "opening", NOW.plusMonths(6));
            case HOLD_EXPIRED, EXPIRY, REWARD_CLAIM, REWARD_CANCELLATION, DONATION ->
                    throw new IllegalArgumentException(kind.name());
        };
        UUID target = kind == TransferKind.CAPTURE || kind == TransferKind.VOID ? holdId
                : kind == TransferKind.REVERSAL ? earned : null;
        WriteDecider.Decided decided = decide(write(kind, target, fields));

        PostingResult result = decided.results().get(0);
        assertEquals(PostingOutcome.APPLIED, result.outcome(), String.valueOf(result.receipt()));
        BatchEffects effects = decided.effects();
        assertEquals(1, effects.transfers.size());
        assertEquals(kind, effects.transfers.get(0).kind());
        assertEquals(1, effects.answers.size());
        assertEquals(1, effects.events.size());
        assertEquals(8, result.account().version());
        long lotsAfter = 100 + effects.lotChanges.getOrDefault(lotId, 0L)
                + effects.newLots.values().stream().mapToLong(Long::longValue).sum();
        assertEquals(Math.max(result.account().posted(), 0), lotsAfter, "lot remainders add up to the posted balance");
        BatchEffects.TransferRow transfer = effects.transfers.get(0);
        assertEquals(result.account().posted() - 100, transfer.postedDelta());
        assertEquals(result.account().held() - 40, transfer.heldDelta());
    }

    private UUID reward(long points, Long stock, OffsetDateTime cancellableUntil) {
        UUID rewardId = UUID.randomUUID();
        rewards.put(rewardId, new LedgerState.RewardRow(rewardId, "Tote", "PRODUCT", true, points, Map.of(), null, stock, null,
                null, null, null, cancellableUntil));
        return rewardId;
    }

    private Posting claimBy(UUID memberId, UUID rewardId, long priceCeiling) {
        String key = UUID.randomUUID().toString();
        return new Posting(PARTNER, false, null, key, key.getBytes(StandardCharsets.UTF_8), null, TransferKind.REWARD_CLAIM,
                memberId, null, PostingFields.rewardClaim(rewardId, null, priceCeiling, "POS"));
    }

    private Posting cancellationBy(String partner, boolean seesAllPartners, UUID claimId) {
        String key = UUID.randomUUID().toString();
        return new Posting(partner, seesAllPartners, null, key, key.getBytes(StandardCharsets.UTF_8), null,
                TransferKind.REWARD_CANCELLATION, member, claimId, PostingFields.rewardCancellation(null, NOW.plusMonths(12)));
    }

    private List<PostingOutcome> outcomes(WriteDecider.Decided decided) {
        return decided.results().stream().map(PostingResult::outcome).toList();
    }

    @Test
    void shouldSellNoMoreThanTheStockLeftToTheClaimsOfOneBatch() {
        UUID rewardId = reward(100, 3L, null);
        List<Posting> postings = new ArrayList<>();
        for (int index = 0; index < 5; index++) {
            UUID claimant = UUID.randomUUID();
            accounts.put(claimant, new LedgerState.Account(claimant, Tier.BASIC, 1_000, 0, 1));
            lots.add(new LedgerState.LotRow(nextLotId++, claimant, UUID.randomUUID(), NOW.plusDays(100), 1_000));
            postings.add(claimBy(claimant, rewardId, 100));
        }

        WriteDecider.Decided decided = decide(postings.toArray(Posting[]::new));

        assertEquals(List.of(PostingOutcome.APPLIED, PostingOutcome.APPLIED, PostingOutcome.APPLIED, PostingOutcome.OUT_OF_STOCK,
                PostingOutcome.OUT_OF_STOCK), outcomes(decided));
        assertEquals(new BatchEffects.StockChange(-3, 3), decided.effects().stockChanges.get(rewardId));
        assertEquals(3, decided.effects().newClaims.size());
        assertEquals(3, decided.effects().events.stream().filter(event -> event.eventType().equals("REWARD_CLAIMED")).count());
    }

    @Test
    void shouldRefuseAClaimShortOfPointsWithoutTakingStock() {
        account(Tier.BASIC, 99, 0);
        UUID rewardId = reward(100, 3L, null);

        WriteDecider.Decided decided = decide(claimBy(member, rewardId, 100));

        assertEquals(List.of(PostingOutcome.INSUFFICIENT_POINTS), outcomes(decided));
        assertTrue(decided.effects().stockChanges.isEmpty());
        assertTrue(decided.effects().transfers.isEmpty());
    }

    @Test
    void shouldRefuseAClaimWhosePriceRosePastTheCeilingItsLotsWereReadFor() {
        account(Tier.BASIC, 1_000, 0);
        lot(1_000, 100, UUID.randomUUID());
        UUID rewardId = reward(150, null, null);

        assertEquals(List.of(PostingOutcome.PRICE_CHANGED), outcomes(decide(claimBy(member, rewardId, 100))));
    }

    @Test
    void shouldGiveACancelledClaimsPointsBackToTheLotsItSpentAndItsUnitBackToStock() {
        account(Tier.BASIC, 0, 0);
        UUID rewardId = reward(100, 0L, null);
        UUID claimId = UUID.randomUUID();
        claims.put(claimId, new LedgerState.ClaimRow(claimId, member, rewardId, PARTNER, 100, LedgerState.ClaimState.CLAIMED));
        restorable.add(new LedgerState.Restorable(claimId, 11, member, UUID.randomUUID(), NOW.plusDays(10), 0, 60));
        restorable.add(new LedgerState.Restorable(claimId, 12, member, UUID.randomUUID(), NOW.plusDays(40), 0, 40));

        WriteDecider.Decided decided = decide(cancellationBy(PARTNER, false, claimId));

        assertEquals(List.of(PostingOutcome.APPLIED), outcomes(decided));
        assertEquals(Map.of(11L, 60L, 12L, 40L), decided.effects().lotChanges);
        assertTrue(decided.effects().newLots.isEmpty(), "nothing went to a new lot");
        assertEquals(new BatchEffects.StockChange(1, -1), decided.effects().stockChanges.get(rewardId));
        assertEquals(claimId, decided.effects().cancelledClaims.get(0).claimId());
        assertEquals(claimId, decided.effects().transfers.get(0).relatedTransferId());
        assertEquals(100, decided.results().get(0).account().posted());
    }

    @Test
    void shouldFindNoClaimOfAnotherPartnerAndCloseCancellationsAtTheCutOffButForTheOperator() {
        account(Tier.BASIC, 0, 0);
        UUID rewardId = reward(100, 1L, NOW.minusMinutes(1));
        UUID claimId = UUID.randomUUID();
        claims.put(claimId, new LedgerState.ClaimRow(claimId, member, rewardId, PARTNER, 100, LedgerState.ClaimState.CLAIMED));

        assertEquals(List.of(PostingOutcome.CLAIM_NOT_FOUND, PostingOutcome.CANCELLATION_CLOSED, PostingOutcome.APPLIED,
                PostingOutcome.CLAIM_NOT_PENDING), outcomes(decide(cancellationBy("another", false, claimId),
                cancellationBy(PARTNER, false, claimId), cancellationBy("operator", true, claimId),
                cancellationBy("operator", true, claimId))));
    }

    @Test
    void shouldMatchDonationsOnlyUntilTheCausesBudgetIsSpent() {
        account(Tier.BASIC, 1_000, 0);
        lot(1_000, 100, UUID.randomUUID());
        UUID causeId = UUID.randomUUID();
        causes.put(causeId, new LedgerState.CauseRow(causeId, true, 1_000, 15, 0));
        Posting[] donations = new Posting[3];
        for (int index = 0; index < donations.length; index++) {
            donations[index] = write(TransferKind.DONATION, null, PostingFields.donation(causeId, 100, "ONLINE"));
        }

        WriteDecider.Decided decided = decide(donations);

        assertEquals(List.of(10L, 5L, 0L), decided.results().stream().map(result -> result.receipt().getLong("matchedPoints")).toList());
        assertEquals(new BatchEffects.CauseCredit(300, 15), decided.effects().causeCredits.get(causeId));
        assertEquals(5, decided.effects().causeEntries.size(), "three donations, two matches");
        assertEquals(700, decided.results().get(2).account().posted());
    }
}
