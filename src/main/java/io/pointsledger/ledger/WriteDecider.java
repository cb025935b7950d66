package io.pointsledger.ledger;

import io.pointsledger.platform.ApiLimits;
import io.pointsledger.platform.TimeOrderedIds;
import io.pointsledger.program.ProgramConfig;
import io.pointsledger.tiers.Tier;
import io.vertx.core.json.JsonObject;
import java.time.Instant;
import java.time.LocalDate;
import java.time.OffsetDateTime;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.EnumMap;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;
import java.util.UUID;

/**
 * The rules of every ledger write, in one place: given the state a batch read under its locks,
 * decides each write in arrival order (each seeing the ones before it) and collects what the
 * batch writes. Pure: no I/O, so every rule is tested without a database, and adding a kind of
 * write is a case here plus its fields.
 *
 * <p>Lots: a credit first repays what the member owes (posted below zero), then, for a refund,
 * gives points back to the lots the original spent (latest expiry first, keeping their dates),
 * and puts the rest in a new lot. A debit spends soonest-expiring lots first (an earn's reversal
 * first spends the lot that earn created). The sum of a member's lot remainders is always their
 * posted balance, or zero while they owe points.
 */
final class WriteDecider {

    private static final int STATUS_CREATED = 201;
    private static final int STATUS_OK = 200;
    /** The channel of a write that names none: an operator's adjustment or a reversal of nothing with one. */
    private static final String OPERATOR_CHANNEL = "OPERATOR";

    /** The program's rules as the decisions use them. */
    record Rules(long minorUnitsPerPoint, Map<Tier, Long> multiplierBasisPoints, ProgramConfig.ReversalPolicy reversalPolicy,
            int expiringWindowDays, ZoneId timeZone) {

        static Rules of(ProgramConfig program) {
            Map<Tier, Long> multipliers = new EnumMap<>(Tier.class);
            multipliers.put(Tier.BASIC, program.multiplierBasisPoints().basic());
            multipliers.put(Tier.SILVER, program.multiplierBasisPoints().silver());
            multipliers.put(Tier.GOLD, program.multiplierBasisPoints().gold());
            return new Rules(program.minorUnitsPerPoint(), multipliers, program.reversalPolicy(),
                    program.expiringWindowDays(), program.timeZone());
        }

        /** Integer arithmetic only: floor(amount x multiplier / (minor units per point x 10 000)). */
        long pointsFor(long amount, Tier tier) {
            return amount * multiplierBasisPoints.get(tier) / (minorUnitsPerPoint * LedgerRules.BASIS_POINTS_PER_UNIT);
        }
    }

    /** The answer to each write, in the order given, and what the batch writes. */
    record Decided(List<PostingResult> results, BatchEffects effects) {
    }

    /** A change of the account a write makes, or the refusal that stops it. */
    private record Change(long points, long postedDelta, long heldDelta, int status, PostingOutcome refusal,
            JsonObject details, List<PurchaseBonus> bonuses, long matchedPoints) {

        static Change of(long points, long postedDelta, long heldDelta, int status) {
            return new Change(points, postedDelta, heldDelta, status, null, null, List.of(), 0);
        }

        /** An earn of the program rule's points and its campaigns' bonuses, all in one transfer. */
        static Change earned(long points, List<PurchaseBonus> bonuses) {
            return new Change(points, points, 0, STATUS_CREATED, null, null, bonuses, 0);
        }

        /** A donation of {@code points}, which the program matches with {@code matchedPoints} of its own. */
        static Change donated(long points, long matchedPoints) {
            return new Change(points, -points, 0, STATUS_CREATED, null, null, List.of(), matchedPoints);
        }

        static Change refused(PostingOutcome refusal, JsonObject details) {
            return new Change(0, 0, 0, 0, refusal, details, List.of(), 0);
        }
    }

    private static final class AccountState {
        final UUID memberId;
        final Tier tier;
        long posted;
        long held;
        long version;

        AccountState(LedgerState.Account account) {
            this.memberId = account.memberId();
            this.tier = account.tier();
            this.posted = account.posted();
            this.held = account.held();
            this.version = account.version();
        }

        long available() {
            return posted - held;
        }
    }

    /** A lot as the batch sees it; {@code lotId} is null for a lot this batch creates. */
    private static final class Lot {
        final Long lotId;
        final UUID memberId;
        final UUID sourceTransferId;
        final OffsetDateTime expiresAt;
        /** Orders lots of the same expiry: existing ones by id, new ones after them in creation order. */
        final long order;
        long remaining;
        /** For a lot the batch creates: the points its source transfer put in it (a lot's credit is not a movement). */
        long credited;

        Lot(Long lotId, UUID memberId, UUID sourceTransferId, OffsetDateTime expiresAt, long order, long remaining) {
            this.lotId = lotId;
            this.memberId = memberId;
            this.sourceTransferId = sourceTransferId;
            this.expiresAt = expiresAt;
            this.order = order;
            this.remaining = remaining;
        }

        boolean created() {
            return lotId == null;
        }
    }

    /** What a refund of {@code originalId} may still give back to one lot. */
    private static final class RestoreEntry {
        final Lot lot;
        long restorable;

        RestoreEntry(Lot lot, long restorable) {
            this.lot = lot;
            this.restorable = restorable;
        }
    }

    /** By instant: OffsetDateTime's own order breaks ties of one instant by offset, which lots read back lose. */
    private static final Comparator<Lot> SOONEST_FIRST = Comparator.<Lot, Instant>comparing(lot -> lot.expiresAt.toInstant())
            .thenComparingLong(lot -> lot.order);
    private static final Comparator<RestoreEntry> LATEST_FIRST = Comparator.<RestoreEntry, Instant>comparing(
            entry -> entry.lot.expiresAt.toInstant()).thenComparingLong(entry -> entry.lot.order).reversed();

    private final Rules rules;
    private final PurchaseBonuses bonusRules;
    private final OffsetDateTime now;
    /** {@code now} for the time-ordered ids of the batch's transfers and events. */
    private final long nowMillis;
    private final Map<UUID, LedgerState.Target> targets;
    private final Map<UUID, AccountState> accounts = new HashMap<>();
    private final Map<LedgerState.AnswerKey, LedgerState.StoredAnswer> answers;
    private final Map<UUID, LedgerState.HoldRow> holds;
    private final Map<UUID, LedgerState.Original> originals;
    private final Map<UUID, List<Lot>> lotsByMember = new HashMap<>();
    private final Map<Long, Lot> lotsById = new HashMap<>();
    private final Map<UUID, List<RestoreEntry>> restorable = new HashMap<>();
    private final BatchEffects effects = new BatchEffects();
    private final BonusGrants bonusGrants;
    /** Members who earned on a purchase before this write: as read, then with the batch's earns. */
    private final Set<UUID> purchasedBefore;
    /** Members with an opening balance: as read, then with the batch's migrations. */
    private final Set<UUID> migrated;
    /** Members whose past purchases' points were posted: as read, then with the batch's such earns. */
    private final Set<UUID> historyPosted;
    private long lotsCreated;
    private final Map<UUID, LedgerState.RewardRow> rewards;
    /** Units left of each reward with a stock limit: as read, then less the batch's claims. */
    private final Map<UUID, Long> stockLeft = new HashMap<>();
    private final Map<LedgerState.RewardMember, Long> activeClaims;
    private final Map<UUID, LedgerState.ClaimRow> claims;
    private final Map<UUID, LedgerState.CauseRow> causes;
    /** Points each cause's matching granted: as read, then with the batch's matches. */
    private final Map<UUID, Long> matched = new HashMap<>();
    /** The batch's read state: the segments admitting each member, for campaigns that name one. */
    private final LedgerState state;

    private WriteDecider(Rules rules, PurchaseBonuses bonusRules, OffsetDateTime now, Map<UUID, LedgerState.Target> targets,
            LedgerState state) {
        this.rules = rules;
        this.bonusRules = bonusRules;
        this.state = state;
        this.bonusGrants = new BonusGrants(bonusRules, state, effects, now);
        this.purchasedBefore = new HashSet<>(state.bonuses().purchasedBefore());
        this.migrated = new HashSet<>(state.migrated());
        this.historyPosted = new HashSet<>(state.historyPosted());
        this.now = now;
        this.nowMillis = now.toInstant().toEpochMilli();
        this.targets = targets;
        state.accounts().values().forEach(account -> accounts.put(account.memberId(), new AccountState(account)));
        LedgerState.RewardState rewardState = state.rewardState();
        this.rewards = rewardState.rewards();
        rewards.values().stream().filter(reward -> reward.stock() != null)
                .forEach(reward -> stockLeft.put(reward.rewardId(), reward.stock()));
        this.activeClaims = new HashMap<>(rewardState.activeClaims());
        this.claims = new HashMap<>(rewardState.claims());
        this.causes = rewardState.causes();
        causes.values().forEach(cause -> matched.put(cause.causeId(), cause.matched()));
        this.answers = new HashMap<>(state.answers());
        this.holds = new HashMap<>(state.holds());
        this.originals = new HashMap<>(state.originals());
        state.lots().forEach(row -> lot(row.lotId(), row.memberId(), row.sourceTransferId(), row.expiresAt(), row.remaining()));
        state.restorable().forEach(row -> restorable.computeIfAbsent(row.originalId(), original -> new ArrayList<>())
                .add(new RestoreEntry(lot(row.lotId(), row.memberId(), row.sourceTransferId(), row.expiresAt(), row.remaining()),
                        row.restorable())));
    }

    /**
     * Decides {@code postings} in the order given. {@code targets}: the owners of the holds and
     * transfers that captures, voids and reversals name, as found before the locks. {@code bonuses}:
     * the campaigns in force for the whole batch.
     */
    static Decided decide(List<Posting> postings, Map<UUID, LedgerState.Target> targets, LedgerState state, Rules rules,
            PurchaseBonuses bonuses, OffsetDateTime now) {
        WriteDecider decider = new WriteDecider(rules, bonuses, now, targets, state);
        List<PostingResult> results = new ArrayList<>(postings.size());
        for (Posting posting : postings) {
            results.add(decider.decideOne(posting));
        }
        decider.finish();
        return new Decided(results, decider.effects);
    }

    /** The member whose account a write changes: named, or the owner of its hold or transfer; null if unknown. */
    static UUID memberOf(Posting posting, Map<UUID, LedgerState.Target> targets) {
        if (posting.memberId() != null) {
            return posting.memberId();
        }
        LedgerState.Target target = targets.get(posting.targetId());
        return target == null ? null : target.memberId();
    }

    private PostingResult decideOne(Posting posting) {
        PostingOutcome targetMissing = targetMissing(posting);
        if (targetMissing != null) {
            return PostingResult.refused(targetMissing, null);
        }
        AccountState account = accounts.get(memberOf(posting, targets));
        if (account == null) {
            return PostingResult.refused(PostingOutcome.MEMBER_NOT_FOUND, null);
        }
        LedgerState.AnswerKey key = new LedgerState.AnswerKey(posting.partnerId(), posting.idempotencyKey(), account.memberId);
        LedgerState.StoredAnswer stored = posting.idempotencyKey() == null ? null : answers.get(key);
        if (stored != null) {
            PostingOutcome outcome = RequestFingerprint.sameRequest(stored.fingerprint(), posting)
                    ? PostingOutcome.REPLAYED : PostingOutcome.IDEMPOTENCY_KEY_REUSED;
            return new PostingResult(outcome, stored.status(), stored.body(), balance(account, List.of()));
        }
        Change change = change(posting, account);
        if (change.refusal() != null) {
            return PostingResult.refused(change.refusal(), change.details());
        }
        return apply(posting, account, change, key);
    }

    /** HOLD_NOT_FOUND or TRANSFER_NOT_FOUND when the hold or transfer acted on is not there for this caller. */
    private PostingOutcome targetMissing(Posting posting) {
        if (posting.memberId() != null) {
            return null;
        }
        LedgerState.Target target = targets.get(posting.targetId());
        boolean visible = target != null && (posting.seesAllPartners() || posting.partnerId().equals(target.partnerId()));
        if (posting.kind() == TransferKind.REVERSAL) {
            return visible ? null : PostingOutcome.TRANSFER_NOT_FOUND;
        }
        return visible && target.kind() == TransferKind.HOLD ? null : PostingOutcome.HOLD_NOT_FOUND;
    }

    private Change change(Posting posting, AccountState account) {
        PostingFields fields = posting.fields();
        return switch (posting.kind()) {
            case EARN -> earn(posting, account);
            case REDEEM -> spend(fields.points(), account, fields.points(), 0);
            case HOLD -> spend(fields.points(), account, 0, fields.points());
            case CAPTURE, VOID -> resolveHold(posting, holds.get(posting.targetId()));
            case HOLD_EXPIRED -> expireHold(holds.get(posting.targetId()));
            case REVERSAL -> reverse(fields, account, originals.get(posting.targetId()));
            case ADJUSTMENT -> adjust(fields, account);
            case EXPIRY -> expirePoints(account);
            case MIGRATION -> migrate(fields, account);
            case REWARD_CLAIM -> claim(fields, account);
            case REWARD_CANCELLATION -> cancelClaim(posting, account);
            case DONATION -> donate(fields, account);
        };
    }

    /**
     * One unit of a reward for its price at the member's tier. Refused, in this order: a reward the
     * member may not see (unknown, retired, or not for their tier: REWARD_NOT_FOUND, so that it is
     * not even known to exist), one outside its window, a price not the one the member was shown,
     * the member's limit reached, no stock left, and points short. A refusal takes no stock.
     */
    private Change claim(PostingFields fields, AccountState account) {
        LedgerState.RewardRow reward = rewards.get(fields.rewardId());
        if (reward == null || !reward.active() || !reward.admits(account.tier)) {
            return Change.refused(PostingOutcome.REWARD_NOT_FOUND, null);
        }
        if (!reward.openAt(now)) {
            return Change.refused(PostingOutcome.REWARD_NOT_AVAILABLE, new JsonObject()
                    .put("availableFrom", text(reward.availableFrom())).put("availableUntil", text(reward.availableUntil()))
                    .put("startsAt", text(reward.startsAt())));
        }
        long price = reward.priceFor(account.tier);
        // The ceiling bounds the lots read for the claim: a price raised past it since is a changed price too.
        if ((fields.points() != null && fields.points() != price) || price > fields.priceCeiling()) {
            return Change.refused(PostingOutcome.PRICE_CHANGED, new JsonObject().put("price", price)
                    .put("expected", fields.points()));
        }
        long held = activeClaims.getOrDefault(new LedgerState.RewardMember(account.memberId, reward.rewardId()), 0L);
        if (reward.perMemberLimit() != null && held >= reward.perMemberLimit()) {
            return Change.refused(PostingOutcome.CLAIM_LIMIT_REACHED, new JsonObject().put("limit", reward.perMemberLimit()));
        }
        if (reward.stock() != null && stockLeft.get(reward.rewardId()) <= 0) {
            return Change.refused(PostingOutcome.OUT_OF_STOCK, null);
        }
        if (account.available() < price) {
            return Change.refused(PostingOutcome.INSUFFICIENT_POINTS,
                    new JsonObject().put("available", account.available()).put("requested", price));
        }
        return Change.of(price, -price, 0, STATUS_CREATED);
    }

    /**
     * A claim undone: its points back, to the lots they were spent from, and its unit back in stock.
     * Only the partner that made the claim (or the operator) finds it; only a claim not yet
     * fulfilled or cancelled is cancelled; past an event's cut-off only the operator may.
     */
    private Change cancelClaim(Posting posting, AccountState account) {
        LedgerState.ClaimRow claim = claims.get(posting.targetId());
        if (claim == null || !claim.memberId().equals(account.memberId)
                || !(posting.seesAllPartners() || posting.partnerId().equals(claim.partnerId()))) {
            return Change.refused(PostingOutcome.CLAIM_NOT_FOUND, null);
        }
        if (claim.status() != LedgerState.ClaimState.CLAIMED) {
            return Change.refused(PostingOutcome.CLAIM_NOT_PENDING, new JsonObject().put("status", claim.status().name()));
        }
        LedgerState.RewardRow reward = requireReward(claim);
        if (!posting.seesAllPartners() && reward.cancellableUntil() != null && !now.isBefore(reward.cancellableUntil())) {
            return Change.refused(PostingOutcome.CANCELLATION_CLOSED,
                    new JsonObject().put("cancellableUntil", reward.cancellableUntil().toString()));
        }
        return Change.of(claim.points(), claim.points(), 0, STATUS_OK);
    }

    /**
     * Points given to a cause, and the program's match of them: the cause's rate of the donation,
     * cut to what is left of its matching budget (0 once it is spent).
     */
    private Change donate(PostingFields fields, AccountState account) {
        LedgerState.CauseRow cause = causes.get(fields.causeId());
        if (cause == null || !cause.active()) {
            return Change.refused(PostingOutcome.CAUSE_NOT_FOUND, null);
        }
        long points = fields.points();
        if (account.available() < points) {
            return Change.refused(PostingOutcome.INSUFFICIENT_POINTS,
                    new JsonObject().put("available", account.available()).put("requested", points));
        }
        long match = points * cause.matchRateBasisPoints() / LedgerRules.BASIS_POINTS_PER_UNIT;
        long budgetLeft = cause.matchBudget() - matched.get(cause.causeId());
        return Change.donated(points, Math.max(0, Math.min(match, budgetLeft)));
    }

    /** The reward of a claim being cancelled: locked with the batch's rewards, as every claim's reward exists. */
    private LedgerState.RewardRow requireReward(LedgerState.ClaimRow claim) {
        LedgerState.RewardRow reward = rewards.get(claim.rewardId());
        if (reward == null) {
            throw new IllegalStateException("The reward " + claim.rewardId() + " of claim " + claim.claimId() + " was not read");
        }
        return reward;
    }

    private static String text(OffsetDateTime time) {
        return time == null ? null : time.toString();
    }

    /**
     * The program rule's points, then what the campaigns in force add to them. One transfer carries
     * both, so that a reversal of the earn takes the bonuses back in the same proportion; its
     * metadata and receipt list each bonus. A bonus is cut to what is left of its campaign's budget
     * and member cap ({@link BonusGrants}). Points the caller states (scope earn:manual) are
     * awarded exactly, with no campaign: they are a grant, not a purchase under the program's rule.
     */
    private Change earn(Posting posting, AccountState account) {
        PostingFields fields = posting.fields();
        OffsetDateTime occurredAt = fields.occurredAt() != null ? fields.occurredAt() : now;
        if (fields.occasion() != null && !fields.occasion().isPurchase()) {
            return occasionEarned(posting, account, occurredAt);
        }
        if (fields.points() != null) {
            if (HistoricalEarn.isHistorical(posting)) {
                // A member's past comes over once: their opening balance holds its points already.
                if (migrated.contains(account.memberId)) {
                    return Change.refused(PostingOutcome.ALREADY_MIGRATED, null);
                }
                historyPosted.add(account.memberId);
            }
            purchasedBefore.add(account.memberId);
            return Change.earned(fields.points(), List.of());
        }
        long points = rules.pointsFor(fields.amount(), account.tier);
        if (points <= 0) {
            return Change.refused(PostingOutcome.NO_POINTS_EARNED, new JsonObject().put("amount", fields.amount()));
        }
        boolean firstPurchase = purchasedBefore.add(account.memberId);
        List<PurchaseBonus> bonuses = bonusGrants.bonusesFor(new EarnFacts(BonusOccasion.PURCHASE, account.memberId,
                posting.partnerId(), fields.channel(), fields.amount(), fields.items(), occurredAt, account.tier, firstPurchase,
                points, state.segmentsOf(account.memberId)));
        return Change.earned(points + bonuses.stream().mapToLong(PurchaseBonus::points).sum(), bonuses);
    }

    /**
     * A signup or a tier reached: an earn of what the campaigns rewarding the
     * occasion grant, and nothing (NOTHING_DUE) when none does, or each already did. A points
     * coupon: its points, once per code.
     */
    private Change occasionEarned(Posting posting, AccountState account, OffsetDateTime occurredAt) {
        BonusOccasion occasion = posting.fields().occasion();
        if (occasion.kind() == BonusOccasion.Kind.COUPON) {
            return bonusGrants.grantOnce(account.memberId, occasion) ? Change.earned(posting.fields().points(), List.of())
                    : Change.refused(PostingOutcome.NOTHING_DUE, null);
        }
        Tier tier = occasion.tier() != null ? occasion.tier() : account.tier;
        List<PurchaseBonus> bonuses = bonusGrants.bonusesFor(new EarnFacts(occasion, account.memberId, posting.partnerId(),
                null, 0, List.of(), occurredAt, tier, null, 0, state.segmentsOf(account.memberId)));
        long points = bonuses.stream().mapToLong(PurchaseBonus::points).sum();
        if (points <= 0) {
            return Change.refused(PostingOutcome.NOTHING_DUE, null);
        }
        return Change.earned(points, bonuses);
    }

    /** A redeem (posted goes down) or a hold (held goes up): never below zero available. */
    private static Change spend(long points, AccountState account, long postedDecrease, long heldIncrease) {
        if (account.available() < points) {
            return Change.refused(PostingOutcome.INSUFFICIENT_POINTS,
                    new JsonObject().put("available", account.available()).put("requested", points));
        }
        return Change.of(points, -postedDecrease, heldIncrease, STATUS_CREATED);
    }

    /** A capture posts what it captures and releases the whole hold; a void releases it. */
    private Change resolveHold(Posting posting, LedgerState.HoldRow hold) {
        if (hold.status() != LedgerState.HoldState.PENDING || !hold.expiresAt().isAfter(now)) {
            String status = hold.status() == LedgerState.HoldState.PENDING ? LedgerState.HoldState.EXPIRED.name() : hold.status().name();
            return Change.refused(PostingOutcome.HOLD_NOT_PENDING,
                    new JsonObject().put("status", status).put("expiresAt", hold.expiresAt().toString()));
        }
        if (posting.kind() == TransferKind.VOID) {
            return Change.of(hold.points(), 0, -hold.points(), STATUS_OK);
        }
        long points = posting.fields().points() != null ? posting.fields().points() : hold.points();
        if (points > hold.points()) {
            return Change.refused(PostingOutcome.CAPTURE_EXCEEDS_HOLD,
                    new JsonObject().put("held", hold.points()).put("requested", points));
        }
        return Change.of(points, -points, -hold.points(), STATUS_OK);
    }

    /** The job's release of a hold past its expiry; nothing to do for one captured or voided meanwhile. */
    private Change expireHold(LedgerState.HoldRow hold) {
        if (hold.status() != LedgerState.HoldState.PENDING || hold.expiresAt().isAfter(now)) {
            return Change.refused(PostingOutcome.NOTHING_DUE, null);
        }
        return Change.of(hold.points(), 0, -hold.points(), STATUS_OK);
    }

    /**
     * The job's expiry of what is left of the member's points past their date. Points a pending
     * hold reserves are left until the hold resolves (expiry never takes available below zero);
     * a later run takes them then.
     */
    private Change expirePoints(AccountState account) {
        long due = lotsByMember.getOrDefault(account.memberId, List.of()).stream()
                .filter(lot -> !lot.expiresAt.isAfter(now)).mapToLong(lot -> lot.remaining).sum();
        long points = Math.min(due, Math.max(account.available(), 0));
        if (points <= 0) {
            return Change.refused(PostingOutcome.NOTHING_DUE, null);
        }
        return Change.of(points, -points, 0, STATUS_OK);
    }

    /**
     * Goods returned (an earn reversed): the points go back; spent already, the reversal policy
     * decides whether the balance goes negative (a debt later earns repay) or stops at zero.
     * A refund (a redeem or capture reversed): the points come back.
     */
    private Change reverse(PostingFields fields, AccountState account, LedgerState.Original original) {
        if (original.kind() != TransferKind.EARN && original.kind() != TransferKind.REDEEM
                && original.kind() != TransferKind.CAPTURE) {
            return Change.refused(PostingOutcome.TRANSFER_NOT_REVERSIBLE, new JsonObject().put("kind", original.kind().name()));
        }
        long points = fields.points() != null ? fields.points() : original.points() - original.reversed();
        if (points <= 0 || original.reversed() + points > original.points()) {
            return Change.refused(PostingOutcome.REVERSAL_EXCEEDS_ORIGINAL, new JsonObject().put("original", original.points())
                    .put("alreadyReversed", original.reversed()).put("requested", points));
        }
        if (original.kind() != TransferKind.EARN) {
            return Change.of(points, points, 0, STATUS_CREATED);
        }
        long taken = rules.reversalPolicy() == ProgramConfig.ReversalPolicy.CLAMP_TO_ZERO
                ? Math.min(points, Math.max(account.available(), 0)) : points;
        return Change.of(points, -taken, 0, STATUS_CREATED);
    }

    /**
     * An opening balance, once per member, and none for a member whose past purchases' points were
     * posted (the balance holds them): decided under the member's lock, by what exists.
     */
    private Change migrate(PostingFields fields, AccountState account) {
        if (historyPosted.contains(account.memberId) || !migrated.add(account.memberId)) {
            return Change.refused(PostingOutcome.ALREADY_MIGRATED, null);
        }
        return Change.of(fields.points(), fields.points(), 0, STATUS_CREATED);
    }

    private static Change adjust(PostingFields fields, AccountState account) {
        long postedDelta = fields.points();
        long points = Math.abs(postedDelta);
        if (postedDelta < 0 && !fields.allowNegative() && account.available() < points) {
            return Change.refused(PostingOutcome.INSUFFICIENT_POINTS,
                    new JsonObject().put("available", account.available()).put("requested", points));
        }
        return Change.of(points, postedDelta, 0, STATUS_CREATED);
    }

    private PostingResult apply(Posting posting, AccountState account, Change change, LedgerState.AnswerKey key) {
        UUID transferId = TimeOrderedIds.next(nowMillis);
        PostingFields fields = posting.fields();
        LedgerState.HoldRow hold = resolvesHold(posting.kind()) ? holds.get(posting.targetId()) : null;
        LedgerState.Original original = posting.kind() == TransferKind.REVERSAL ? originals.get(posting.targetId()) : null;
        moveLots(posting, account, change, transferId, original);
        changeHolds(posting, change, transferId, hold);
        if (original != null) {
            originals.put(original.transferId(), new LedgerState.Original(original.transferId(), original.kind(),
                    original.memberId(), original.partnerId(), original.points(), original.channel(), original.orderId(),
                    original.reversed() + change.points()));
        }
        account.posted += change.postedDelta();
        account.held += change.heldDelta();
        account.version++;
        effects.accounts.put(account.memberId, new BatchEffects.AccountRow(account.memberId, account.posted, account.held,
                account.version));

        BatchEffects.TransferRow transfer = transferRow(posting, account, change, transferId, hold, original);
        effects.transfers.add(transfer);
        // The transfer's event first: a claim's, cancellation's or donation's own event follows it.
        effects.events.add(new BatchEffects.Event(TimeOrderedIds.next(nowMillis), account.memberId, "TRANSFER_RECORDED",
                LedgerJson.transferRecorded(transfer, transfer.kind() == TransferKind.EARN ? fields.items() : List.of(),
                        change.bonuses(), account.tier.name(), account.posted, account.held, account.version)));
        String receipt = switch (posting.kind()) {
            case HOLD, CAPTURE, VOID, HOLD_EXPIRED -> LedgerJson.holdReceipt(holdAfter(posting, change, transferId, hold, account),
                    transferId, account.posted, account.held);
            case REWARD_CLAIM, REWARD_CANCELLATION, DONATION -> spendOnRewardOrCause(posting, account, change, transferId);
            default -> LedgerJson.transferReceipt(transferId, account.memberId, posting.kind(), change.points(),
                    change.postedDelta(), original == null ? null : original.transferId(), change.bonuses(), account.posted,
                    account.held);
        };
        if (posting.idempotencyKey() != null) {
            answers.put(key, new LedgerState.StoredAnswer(posting.storedFingerprint(), change.status(), receipt));
            effects.answers.add(new BatchEffects.Answer(posting.partnerId(), posting.idempotencyKey(), account.memberId,
                    posting.storedFingerprint(), change.status(), receipt));
        }
        if (posting.kind() == TransferKind.ADJUSTMENT) {
            // An operator's correction is audited in the same transaction as the correction itself.
            effects.audits.add(new BatchEffects.Audit(posting.partnerId(), posting.apiKeyId(), "POINTS_ADJUSTED",
                    account.memberId.toString(), new JsonObject().put("transferId", transferId.toString())
                            .put("points", change.postedDelta()).put("reason", fields.reason()).encode()));
        }
        return new PostingResult(PostingOutcome.APPLIED, change.status(), receipt, balance(account, expiring(account.memberId)));
    }

    /**
     * The other side of a claim, a cancellation or a donation, in the same batch as its points: the
     * claim row and the unit of stock, or the cause's credit and the program's match; their event;
     * the receipt.
     */
    private String spendOnRewardOrCause(Posting posting, AccountState account, Change change, UUID transferId) {
        return switch (posting.kind()) {
            case REWARD_CLAIM -> {
                LedgerState.RewardRow reward = rewards.get(posting.fields().rewardId());
                activeClaims.merge(new LedgerState.RewardMember(account.memberId, reward.rewardId()), 1L, Long::sum);
                changeStock(reward, -1);
                effects.newClaims.add(new BatchEffects.NewClaim(transferId, account.memberId, reward.rewardId(),
                        posting.partnerId(), change.points(), now));
                addEvent(account.memberId, "REWARD_CLAIMED", LedgerJson.rewardClaimed(transferId, account.memberId, reward,
                        change.points(), posting.partnerId(), now));
                yield LedgerJson.claimReceipt(transferId, account.memberId, reward.rewardId(), "CLAIMED", change.points(),
                        transferId, account.posted, account.held);
            }
            case REWARD_CANCELLATION -> {
                LedgerState.ClaimRow claim = claims.get(posting.targetId());
                claims.put(claim.claimId(), new LedgerState.ClaimRow(claim.claimId(), claim.memberId(), claim.rewardId(),
                        claim.partnerId(), claim.points(), LedgerState.ClaimState.CANCELLED));
                activeClaims.merge(new LedgerState.RewardMember(account.memberId, claim.rewardId()), -1L, Long::sum);
                LedgerState.RewardRow reward = requireReward(claim);
                changeStock(reward, 1);
                effects.cancelledClaims.add(new BatchEffects.ClaimCancellation(claim.claimId(), account.memberId, now, transferId));
                addEvent(account.memberId, "REWARD_CANCELLED", LedgerJson.rewardCancelled(claim, transferId, posting.partnerId(),
                        now));
                if (reward.cancellableUntil() != null && !now.isBefore(reward.cancellableUntil())) {
                    // Only an administrator gets here past the cut-off: the override is audited with the refund.
                    effects.audits.add(new BatchEffects.Audit(posting.partnerId(), posting.apiKeyId(),
                            "REWARD_CLAIM_CANCELLED_PAST_CUT_OFF", claim.claimId().toString(), new JsonObject()
                                    .put("transferId", transferId.toString()).put("points", claim.points())
                                    .put("cancellableUntil", reward.cancellableUntil().toString()).encode()));
                }
                yield LedgerJson.claimReceipt(claim.claimId(), account.memberId, claim.rewardId(), "CANCELLED",
                        change.points(), transferId, account.posted, account.held);
            }
            default -> {
                UUID causeId = posting.fields().causeId();
                matched.merge(causeId, change.matchedPoints(), Long::sum);
                effects.causeCredits.merge(causeId, new BatchEffects.CauseCredit(change.points(), change.matchedPoints()),
                        BatchEffects.CauseCredit::plus);
                effects.causeEntries.add(new BatchEffects.CauseEntry(transferId, account.memberId, "DONATION", causeId,
                        change.points(), now));
                if (change.matchedPoints() > 0) {
                    effects.causeEntries.add(new BatchEffects.CauseEntry(transferId, account.memberId, "MATCH", causeId,
                            change.matchedPoints(), now));
                }
                addEvent(account.memberId, "POINTS_DONATED", LedgerJson.pointsDonated(transferId, account.memberId, causeId,
                        change.points(), change.matchedPoints(), posting.partnerId(), now));
                yield LedgerJson.donationReceipt(transferId, account.memberId, causeId, change.points(),
                        change.matchedPoints(), account.posted, account.held);
            }
        };
    }

    /** A unit of {@code reward} taken ({@code units} -1) or given back (+1), counted as a claim the other way. */
    private void changeStock(LedgerState.RewardRow reward, long units) {
        if (reward.stock() != null) {
            stockLeft.merge(reward.rewardId(), units, Long::sum);
        }
        effects.stockChanges.merge(reward.rewardId(), new BatchEffects.StockChange(reward.stock() == null ? 0 : units, -units),
                BatchEffects.StockChange::plus);
    }

    private void addEvent(UUID memberId, String eventType, String payload) {
        effects.events.add(new BatchEffects.Event(TimeOrderedIds.next(nowMillis), memberId, eventType, payload));
    }

    /**
     * What a write may take from its member's lots, for the batch to read enough of them (see
     * LedgerWriteRepository's LOTS), or nothing when it takes none.
     */
    static Optional<LedgerWriteRepository.LotNeed> lotNeed(Posting posting, UUID member) {
        PostingFields fields = posting.fields();
        return switch (posting.kind()) {
            case REDEEM -> Optional.of(new LedgerWriteRepository.LotNeed(member, fields.points(), null));
            case CAPTURE -> Optional.of(new LedgerWriteRepository.LotNeed(member, fields.points(), posting.targetId()));
            case ADJUSTMENT -> fields.points() < 0
                    ? Optional.of(new LedgerWriteRepository.LotNeed(member, -fields.points(), null))
                    : Optional.empty();
            // Unknown before deciding, and an earn's reversal spends its own lot first: all the lots.
            case REVERSAL -> Optional.of(new LedgerWriteRepository.LotNeed(member, null, null));
            // At most the price ceiling: a claim that would cost more is refused (PRICE_CHANGED).
            case REWARD_CLAIM -> Optional.of(new LedgerWriteRepository.LotNeed(member, fields.priceCeiling(), null));
            case DONATION -> Optional.of(new LedgerWriteRepository.LotNeed(member, fields.points(), null));
            // Expiry spends only lots past their date, all within the expiring window read for everyone.
            case EARN, HOLD, VOID, HOLD_EXPIRED, EXPIRY, MIGRATION, REWARD_CANCELLATION -> Optional.empty();
        };
    }

    /** Kinds that act on a pending hold. */
    static boolean resolvesHold(TransferKind kind) {
        return kind == TransferKind.CAPTURE || kind == TransferKind.VOID || kind == TransferKind.HOLD_EXPIRED;
    }

    private void moveLots(Posting posting, AccountState account, Change change, UUID transferId,
            LedgerState.Original original) {
        long postedDelta = change.postedDelta();
        // A cancellation gives the claim's points back where the claim took them, as a refund does.
        UUID originalId = posting.kind() == TransferKind.REWARD_CANCELLATION ? posting.targetId()
                : original == null ? null : original.transferId();
        if (postedDelta > 0) {
            credit(account, transferId, postedDelta, originalId, posting.fields().lotExpiresAt());
        } else if (postedDelta < 0) {
            // Expiry takes only lots past their date; every other debit, soonest-expiring first.
            OffsetDateTime dueBy = posting.kind() == TransferKind.EXPIRY ? now : null;
            consume(account.memberId, transferId, -postedDelta, originalId, dueBy);
        }
    }

    private void changeHolds(Posting posting, Change change, UUID transferId, LedgerState.HoldRow hold) {
        PostingFields fields = posting.fields();
        if (posting.kind() == TransferKind.HOLD) {
            effects.newHolds.add(new BatchEffects.NewHold(transferId, posting.memberId(), posting.partnerId(), change.points(),
                    fields.orderId(), fields.channel(), fields.holdExpiresAt(), now));
        } else if (hold != null) {
            boolean captured = posting.kind() == TransferKind.CAPTURE;
            LedgerState.HoldState status = switch (posting.kind()) {
                case CAPTURE -> LedgerState.HoldState.CAPTURED;
                case VOID -> LedgerState.HoldState.VOIDED;
                default -> LedgerState.HoldState.EXPIRED;
            };
            long capturedPoints = captured ? change.points() : 0;
            holds.put(hold.holdId(), new LedgerState.HoldRow(hold.holdId(), hold.memberId(), hold.partnerId(), hold.points(),
                    status, capturedPoints, hold.orderId(), hold.channel(), hold.expiresAt()));
            effects.resolvedHolds.add(new BatchEffects.HoldResolution(hold.holdId(), status, capturedPoints, now, transferId));
        }
    }

    /**
     * Credits {@code amount}: first repays what the member owes, then gives back to the lots
     * {@code originalId} spent (latest expiry first), then puts the rest in a new lot.
     */
    private void credit(AccountState account, UUID transferId, long amount, UUID originalId, OffsetDateTime newLotExpiresAt) {
        long left = amount - Math.min(amount, Math.max(-account.posted, 0));
        if (left > 0 && originalId != null) {
            List<RestoreEntry> entries = restorable.getOrDefault(originalId, List.of()).stream().sorted(LATEST_FIRST).toList();
            for (RestoreEntry entry : entries) {
                long take = Math.min(left, entry.restorable);
                if (take > 0) {
                    entry.restorable -= take;
                    move(transferId, entry.lot, take);
                    left -= take;
                }
                if (left == 0) {
                    break;
                }
            }
        }
        if (left > 0) {
            // The lot records its own credit: a movement row would only repeat it.
            Lot created = lot(null, account.memberId, transferId, newLotExpiresAt, 0);
            created.credited = left;
            created.remaining = left;
        }
    }

    /**
     * Spends up to {@code amount} of the member's lots, soonest expiry first (lots of
     * {@code preferredSource} before all), only lots due by {@code dueBy} when given.
     */
    private void consume(UUID memberId, UUID transferId, long amount, UUID preferredSource, OffsetDateTime dueBy) {
        List<Lot> lots = lotsByMember.getOrDefault(memberId, List.of()).stream()
                .filter(lot -> dueBy == null || !lot.expiresAt.isAfter(dueBy))
                .sorted(Comparator.<Lot>comparingInt(lot -> preferredSource != null && preferredSource.equals(lot.sourceTransferId) ? 0 : 1)
                        .thenComparing(SOONEST_FIRST))
                .toList();
        requireLotsCovering(memberId, amount);
        long left = amount;
        for (Lot lot : lots) {
            if (left == 0) {
                break;
            }
            long take = Math.min(left, lot.remaining);
            if (take > 0) {
                move(transferId, lot, -take);
                left -= take;
            }
        }
    }

    /**
     * The lots of a member add up to their posted balance (zero while they owe points), but the
     * batch reads only those its debits may need. Should a debit need more than was read, spending
     * what was read would leave the lots short of the balance: the batch fails instead.
     */
    private void requireLotsCovering(UUID memberId, long amount) {
        long read = lotsByMember.getOrDefault(memberId, List.of()).stream().mapToLong(lot -> lot.remaining).sum();
        long owned = Math.max(accounts.get(memberId).posted, 0);
        if (read < Math.min(amount, owned)) {
            throw new IllegalStateException("The lots read for member " + memberId + " hold " + read + " points of "
                    + owned + ", and a debit needs " + amount);
        }
    }

    private void move(UUID transferId, Lot lot, long points) {
        lot.remaining += points;
        if (lot.created()) {
            effects.movements.add(new BatchEffects.Movement(transferId, lot.memberId, null, lot.sourceTransferId, points));
        } else {
            effects.lotChanges.merge(lot.lotId, points, Long::sum);
            effects.movements.add(new BatchEffects.Movement(transferId, lot.memberId, lot.lotId, null, points));
        }
    }

    /** The lot with this id as the batch sees it (read once), or a new one when {@code lotId} is null. */
    private Lot lot(Long lotId, UUID memberId, UUID sourceTransferId, OffsetDateTime expiresAt, long remaining) {
        if (lotId != null && lotsById.containsKey(lotId)) {
            return lotsById.get(lotId);
        }
        long order = lotId != null ? lotId : Long.MAX_VALUE / 2 + lotsCreated++;
        Lot lot = new Lot(lotId, memberId, sourceTransferId, expiresAt, order, remaining);
        if (lotId != null) {
            lotsById.put(lotId, lot);
        }
        lotsByMember.computeIfAbsent(memberId, member -> new ArrayList<>()).add(lot);
        return lot;
    }

    private BatchEffects.TransferRow transferRow(Posting posting, AccountState account, Change change, UUID transferId,
            LedgerState.HoldRow hold, LedgerState.Original original) {
        PostingFields fields = posting.fields();
        String channel = firstNonNull(fields.channel(), hold == null ? null : hold.channel(),
                original == null ? null : original.channel(), OPERATOR_CHANNEL);
        String orderId = firstNonNull(fields.orderId(), hold == null ? null : hold.orderId(),
                original == null ? null : original.orderId());
        UUID related = hold != null ? hold.holdId() : original != null ? original.transferId()
                : posting.kind() == TransferKind.REWARD_CANCELLATION ? posting.targetId() : null;
        boolean earn = posting.kind() == TransferKind.EARN;
        String metadata = switch (posting.kind()) {
            case EARN -> LedgerJson.earnMetadata(fields.items(), change.bonuses(), fields.occasion());
            case REWARD_CLAIM -> LedgerJson.rewardMetadata(fields.rewardId());
            case REWARD_CANCELLATION -> LedgerJson.rewardMetadata(claims.get(posting.targetId()).rewardId());
            case DONATION -> LedgerJson.donationMetadata(fields.causeId(), change.matchedPoints());
            default -> "{}";
        };
        // A hold's expiry is booked to the partner that placed the hold, as its capture or void would be; a
        // claim's cancellation to the partner that made the claim, whose settlement the claim was in.
        String partnerId = switch (posting.kind()) {
            case HOLD_EXPIRED -> hold.partnerId();
            case REWARD_CANCELLATION -> claims.get(posting.targetId()).partnerId();
            default -> posting.partnerId();
        };
        return new BatchEffects.TransferRow(transferId, posting.kind(), account.memberId, change.points(), change.postedDelta(),
                change.heldDelta(), partnerId, channel, orderId, posting.idempotencyKey(), related,
                earn ? fields.amount() : null, earn ? fields.currency() : null,
                fields.occurredAt() != null ? fields.occurredAt() : now, now, fields.reason(), metadata);
    }

    @SafeVarargs
    private static <T> T firstNonNull(T... values) {
        for (T value : values) {
            if (value != null) {
                return value;
            }
        }
        return null;
    }

    /** The hold as it stands after this write: the new one a HOLD places, or the one resolved. */
    private LedgerState.HoldRow holdAfter(Posting posting, Change change, UUID transferId, LedgerState.HoldRow resolved,
            AccountState account) {
        if (resolved != null) {
            return holds.get(resolved.holdId());
        }
        PostingFields fields = posting.fields();
        return new LedgerState.HoldRow(transferId, account.memberId, posting.partnerId(), change.points(),
                LedgerState.HoldState.PENDING, 0, fields.orderId(), fields.channel(), fields.holdExpiresAt());
    }

    /**
     * The member's points whose last valid day falls within the expiring window, by that day in
     * the program's zone (a lot expiring at midnight is valid through the day before).
     */
    private List<ExpiringPoints> expiring(UUID memberId) {
        OffsetDateTime windowEnd = now.plusDays(rules.expiringWindowDays());
        TreeMap<LocalDate, Long> byDay = new TreeMap<>();
        for (Lot lot : lotsByMember.getOrDefault(memberId, List.of())) {
            if (lot.remaining > 0 && !lot.expiresAt.isAfter(windowEnd)) {
                LocalDate lastValidDay = lot.expiresAt.minusNanos(1_000).atZoneSameInstant(rules.timeZone()).toLocalDate();
                byDay.merge(lastValidDay, lot.remaining, Long::sum);
            }
        }
        List<ExpiringPoints> expiring = new ArrayList<>(byDay.size());
        byDay.forEach((day, points) -> expiring.add(new ExpiringPoints(day, points)));
        return expiring;
    }

    private static Balance balance(AccountState account, List<ExpiringPoints> expiring) {
        return Balance.of(account.memberId, account.tier, account.posted, account.held, account.version, expiring);
    }

    /** New lots go in with what is left of them after the whole batch. */
    private void finish() {
        lotsByMember.values().forEach(lots -> lots.stream().filter(Lot::created).forEach(lot -> effects.newLots.put(
                new BatchEffects.NewLot(lot.memberId, lot.sourceTransferId, lot.expiresAt, lot.credited), lot.remaining)));
    }
}
