package io.pointsledger.rewards;

import io.pointsledger.audit.AuditAction;
import io.pointsledger.audit.AuditLog;
import io.pointsledger.ledger.ClaimReceipt;
import io.pointsledger.ledger.LedgerService;
import io.pointsledger.ledger.Posted;
import io.pointsledger.ledger.RequestFingerprint;
import io.pointsledger.partners.Caller;
import io.pointsledger.platform.EnumParameter;
import io.pointsledger.platform.ErrorCode;
import io.pointsledger.platform.IfMatch;
import io.pointsledger.platform.Paging;
import io.pointsledger.platform.ProblemException;
import io.pointsledger.platform.TimeOrderedIds;
import io.quarkus.cache.Cache;
import io.quarkus.cache.CacheName;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;
import java.time.Clock;
import java.time.OffsetDateTime;
import java.util.List;
import java.util.Map;
import java.util.UUID;

/**
 * The rewards catalogue: written by the operator (audited), read by members for their tier; claims
 * and their cancellations go through the ledger's write path, which takes the points and the unit
 * of stock in one transaction; fulfilment marks a claim handed over.
 */
@ApplicationScoped
public class RewardService {

    private static final String REWARD_LIST = "rewards";
    private static final String CATALOGUE_LIST = "catalogue";
    private static final String CLAIM_LIST = "reward-claims";
    /** Each reward's highest price, by reward id: see {@link #priceCeiling}. */
    static final String PRICE_CACHE = "reward-price-ceilings";

    private final RewardRepository repository;
    private final LedgerService ledger;
    private final AuditLog audit;
    private final RewardsConfig config;
    private final Clock clock;
    private final Cache priceCeilings;

    RewardService(RewardRepository repository, LedgerService ledger, AuditLog audit, RewardsConfig config, Clock clock,
            @CacheName(PRICE_CACHE) Cache priceCeilings) {
        this.repository = repository;
        this.ledger = ledger;
        this.audit = audit;
        this.config = config;
        this.clock = clock;
        this.priceCeilings = priceCeilings;
    }

    /** Fails with VALIDATION_FAILED or PARTNER_NOT_FOUND (the fulfilment partner). */
    public Uni<Reward> create(Caller actor, RewardRequest request) {
        RewardRules.validate(request);
        UUID rewardId = TimeOrderedIds.next(clock.millis());
        Uni<Void> partnerKnown = request.fulfilmentPartnerId() == null ? Uni.createFrom().voidItem()
                : repository.partnerExists(request.fulfilmentPartnerId()).invoke(exists -> {
                    if (!exists) {
                        throw new ProblemException(ErrorCode.PARTNER_NOT_FOUND,
                                "fulfilmentPartnerId: no partner " + request.fulfilmentPartnerId());
                    }
                }).replaceWithVoid();
        return partnerKnown.chain(() -> repository.pool().withTransaction(transaction -> repository
                .insert(transaction, rewardId, request)
                .call(stored -> audit.record(transaction, actor.auditActor(), AuditAction.REWARD_CREATED, rewardId.toString(),
                        Map.of("name", request.name(), "kind", request.kind().name(), "points", request.points())))))
                .map(RewardRepository.StoredReward::reward);
    }

    /** Fails with REWARD_NOT_FOUND. */
    public Uni<Reward> find(UUID rewardId) {
        return repository.find(rewardId).onItem().ifNull().failWith(() -> notFound(rewardId))
                .map(RewardRepository.StoredReward::reward);
    }

    /** Newest first. Fails with VALIDATION_FAILED for a bad status, cursor or limit. */
    public Uni<RewardPage> page(String status, String cursor, String limit) {
        RewardStatus filter = EnumParameter.parse("status", status, RewardStatus.class);
        int pageSize = Paging.pageSize(limit, config.pageSizeDefault(), RewardsConfig.PAGE_SIZE_MAX);
        long before = Paging.decodeCursor(REWARD_LIST, cursor);
        return repository.page(filter, before, pageSize).map(rows -> new RewardPage(
                rows.stream().map(RewardRepository.StoredReward::reward).toList(),
                next(REWARD_LIST, rows.size(), pageSize, rows.isEmpty() ? 0 : rows.get(rows.size() - 1).sequence())));
    }

    /**
     * Adds units to the stock, or takes them off, against the reward's version {@code ifMatch} names (* any);
     * never below zero, and a claim committed meanwhile is kept (the change is relative). Fails with
     * VALIDATION_FAILED, IF_MATCH_REQUIRED, REWARD_NOT_FOUND, REWARD_VERSION_MISMATCH or
     * REWARD_STOCK_CONFLICT (below zero, or a reward without a stock limit).
     */
    public Uni<Reward> changeStock(Caller actor, UUID rewardId, long change, String ifMatch) {
        if (change == 0) {
            throw ProblemException.invalid("change", "must not be 0");
        }
        Long version = IfMatch.required(ifMatch, "reward", "the version field of the reward as read");
        return repository.pool().withTransaction(transaction -> repository.changeStock(transaction, rewardId, change, version)
                        .onItem().ifNull().switchTo(() -> repository.find(rewardId)
                                .onItem().ifNull().failWith(() -> notFound(rewardId))
                                .map(found -> {
                                    if (version != null && found.reward().version() != version) {
                                        throw new ProblemException(ErrorCode.REWARD_VERSION_MISMATCH, "The reward is at version "
                                                + found.reward().version() + ", not " + version + ": read it again");
                                    }
                                    throw new ProblemException(ErrorCode.REWARD_STOCK_CONFLICT, found.reward().stock() == null
                                            ? "The reward has no stock limit"
                                            : "The reward has " + found.reward().stock() + " units; a change of " + change
                                                    + " would take it below zero");
                                }))
                        .call(stored -> audit.record(transaction, actor.auditActor(), AuditAction.REWARD_STOCK_CHANGED,
                                rewardId.toString(), Map.of("change", change, "stock", stored.reward().stock()))))
                .map(RewardRepository.StoredReward::reward);
    }

    /** Retires the reward for good: no member sees or claims it from then on; its claims stay. Fails with REWARD_NOT_FOUND. */
    public Uni<Reward> retire(Caller actor, UUID rewardId) {
        return repository.pool().withTransaction(transaction -> repository.retire(transaction, rewardId)
                        .onItem().ifNull().failWith(() -> notFound(rewardId))
                        .call(stored -> audit.record(transaction, actor.auditActor(), AuditAction.REWARD_RETIRED,
                                rewardId.toString(), Map.of("name", stored.reward().name()))))
                .map(RewardRepository.StoredReward::reward);
    }

    /**
     * What the member may claim now at their tier, newest first, each with their price and whether
     * they can claim it. Fails with MEMBER_NOT_FOUND or VALIDATION_FAILED (cursor, limit).
     */
    public Uni<MemberRewardPage> catalogue(UUID memberId, String cursor, String limit) {
        int pageSize = Paging.pageSize(limit, config.pageSizeDefault(), RewardsConfig.PAGE_SIZE_MAX);
        long before = Paging.decodeCursor(CATALOGUE_LIST, cursor);
        OffsetDateTime now = OffsetDateTime.now(clock);
        return ledger.balance(memberId).chain(balance -> repository.catalogue(balance.tier(), memberId, before, now, pageSize)
                .map(rows -> new MemberRewardPage(memberId, balance.tier(), balance.available(),
                        rows.stream().map(row -> RewardRules.asSeenBy(row.reward(), row.held(), balance.tier(),
                                balance.available())).toList(),
                        next(CATALOGUE_LIST, rows.size(), pageSize, rows.isEmpty() ? 0 : rows.get(rows.size() - 1).sequence()))));
    }

    /**
     * Claims one unit for the member, through the ledger's write path (see LedgerService#claimReward).
     * A reward that does not exist is refused before the write; every other rule is decided under
     * the member's and the reward's locks.
     */
    public Uni<Posted<ClaimReceipt>> claim(Caller caller, UUID memberId, UUID rewardId, String idempotencyKey,
            ClaimRequest request) {
        LedgerService.requireIdempotencyKey(idempotencyKey);
        RequestFingerprint.Fingerprinted fingerprint = print -> print.text("rewardId", rewardId.toString())
                .text("channel", request.channel().name()).number("expectedPoints", request.expectedPoints());
        return priceCeiling(rewardId).chain(ceiling -> ledger.claimReward(caller, memberId, idempotencyKey, rewardId,
                request.expectedPoints(), ceiling, request.channel().name(), fingerprint));
    }

    /**
     * The most the reward costs any member, which bounds the lots a claim's batch reads; fails with
     * REWARD_NOT_FOUND for no such reward (not cached). Kept in memory without a round trip per
     * claim: a reward's prices never change once it is created, so the value is exact however old;
     * a reward retired meanwhile passes here and is refused by the write path.
     */
    private Uni<Long> priceCeiling(UUID rewardId) {
        return priceCeilings.getAsync(rewardId, id -> repository.find(rewardId)
                .onItem().ifNull().failWith(() -> notFound(rewardId))
                .map(found -> RewardRules.highestPrice(found.reward())));
    }

    /** Cancels a claim through the write path (see LedgerService#cancelRewardClaim). */
    public Uni<Posted<ClaimReceipt>> cancel(Caller caller, UUID memberId, UUID claimId, String idempotencyKey,
            CancelClaimRequest request) {
        String reason = request == null ? null : request.reason();
        RequestFingerprint.Fingerprinted fingerprint = print -> print.text("claimId", claimId.toString()).text("reason", reason);
        return ledger.cancelRewardClaim(caller, memberId, claimId, idempotencyKey, reason, fingerprint);
    }

    /**
     * The member's claims, newest first: for a partner, those it made and those of rewards it hands
     * over; all for an administrator. Fails with MEMBER_NOT_FOUND.
     */
    public Uni<RewardClaimPage> memberClaims(Caller caller, UUID memberId, String cursor, String limit) {
        int pageSize = Paging.pageSize(limit, config.pageSizeDefault(), RewardsConfig.PAGE_SIZE_MAX);
        long before = Paging.decodeCursor(CLAIM_LIST, cursor);
        return ledger.balance(memberId).chain(() -> repository.memberClaims(memberId,
                caller.seesAllPartners() ? null : caller.partnerId(), before, pageSize)).map(rows -> claimPage(rows, pageSize));
    }

    /**
     * Claims to hand over, newest first: of the rewards the caller fulfils, or of every reward for an
     * administrator. Fails with VALIDATION_FAILED (status, cursor, limit).
     */
    public Uni<RewardClaimPage> handOverClaims(Caller caller, String status, String cursor, String limit) {
        ClaimStatus filter = EnumParameter.parse("status", status, ClaimStatus.class);
        int pageSize = Paging.pageSize(limit, config.pageSizeDefault(), RewardsConfig.PAGE_SIZE_MAX);
        long before = Paging.decodeCursor(CLAIM_LIST, cursor);
        return repository.handOverClaims(caller.seesAllPartners() ? null : caller.partnerId(), filter, before, pageSize)
                .map(rows -> claimPage(rows, pageSize));
    }

    /** A reward's claims, newest first. Fails with REWARD_NOT_FOUND or VALIDATION_FAILED. */
    public Uni<RewardClaimPage> rewardClaims(UUID rewardId, String status, String cursor, String limit) {
        ClaimStatus filter = EnumParameter.parse("status", status, ClaimStatus.class);
        int pageSize = Paging.pageSize(limit, config.pageSizeDefault(), RewardsConfig.PAGE_SIZE_MAX);
        long before = Paging.decodeCursor(CLAIM_LIST, cursor);
        return find(rewardId).chain(() -> repository.rewardClaims(rewardId, filter, before, pageSize))
                .map(rows -> claimPage(rows, pageSize));
    }

    /** One claim of the member, if the caller made it or hands its reward over (or administers). Fails with CLAIM_NOT_FOUND. */
    public Uni<RewardClaim> memberClaim(Caller caller, UUID memberId, UUID claimId) {
        return repository.claim(claimId).map(stored -> {
            boolean visible = stored != null && (caller.seesAllPartners() || caller.partnerId().equals(stored.claim().partnerId())
                    || caller.partnerId().equals(stored.fulfilmentPartnerId()));
            if (!visible || !stored.claim().memberId().equals(memberId)) {
                throw claimNotFound(claimId);
            }
            return stored.claim();
        });
    }

    /**
     * Marks a claim handed over, with its REWARD_FULFILLED event. Only the reward's fulfilment
     * partner or an administrator finds the claim. Fulfilling a fulfilled claim again answers it as
     * it is (a retry); a cancelled one cannot be. Fails with CLAIM_NOT_FOUND or CLAIM_NOT_PENDING.
     */
    public Uni<RewardClaim> fulfil(Caller caller, UUID claimId, FulfilmentRequest request) {
        String reference = request == null ? null : request.reference();
        return repository.pool().withTransaction(transaction -> repository.lockClaim(transaction, claimId).chain(stored -> {
            if (stored == null || !(caller.seesAllPartners() || caller.partnerId().equals(stored.fulfilmentPartnerId()))) {
                return Uni.createFrom().failure(claimNotFound(claimId));
            }
            return switch (stored.claim().status()) {
                case FULFILLED -> Uni.createFrom().voidItem();
                case CANCELLED -> Uni.createFrom().failure(new ProblemException(ErrorCode.CLAIM_NOT_PENDING,
                        "The claim was cancelled at " + stored.claim().cancelledAt()));
                case CLAIMED -> repository.fulfil(transaction, claimId, stored.claim().memberId(), caller.partnerId(), reference,
                                TimeOrderedIds.next(clock.millis()))
                        .call(() -> audit.record(transaction, caller.auditActor(), AuditAction.REWARD_CLAIM_FULFILLED,
                                claimId.toString(), reference == null ? Map.of() : Map.of("reference", reference)))
                        .replaceWithVoid();
            };
        })).chain(() -> repository.claim(claimId)).map(RewardRepository.StoredClaim::claim);
    }

    private RewardClaimPage claimPage(List<RewardRepository.StoredClaim> rows, int pageSize) {
        return new RewardClaimPage(rows.stream().map(RewardRepository.StoredClaim::claim).toList(),
                next(CLAIM_LIST, rows.size(), pageSize, rows.isEmpty() ? 0 : rows.get(rows.size() - 1).sequence()));
    }

    private static String next(String list, int rows, int pageSize, long lastSequence) {
        return rows < pageSize ? null : Paging.encodeCursor(list, lastSequence);
    }

    static ProblemException notFound(UUID rewardId) {
        return new ProblemException(ErrorCode.REWARD_NOT_FOUND, "No reward " + rewardId);
    }

    private static ProblemException claimNotFound(UUID claimId) {
        return new ProblemException(ErrorCode.CLAIM_NOT_FOUND, "No reward claim " + claimId);
    }
}
