package io.pointsledger.coupons;

import io.pointsledger.audit.AuditAction;
import io.pointsledger.audit.AuditLog;
import io.pointsledger.ledger.LedgerService;
import io.pointsledger.ledger.Posted;
import io.pointsledger.partners.Caller;
import io.pointsledger.platform.ErrorCode;
import io.pointsledger.platform.Paging;
import io.pointsledger.platform.ProblemException;
import io.pointsledger.platform.TimeOrderedIds;
import io.pointsledger.program.ProgramConfig;
import io.smallrye.mutiny.Multi;
import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.sqlclient.SqlClient;
import jakarta.enterprise.context.ApplicationScoped;
import java.time.Clock;
import java.time.OffsetDateTime;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.jboss.logging.Logger;

/**
 * Coupons: definitions, codes issued from them, and their use at a checkout. A code is used under
 * two locks, the member's account and then the code's row (the ledger's writes lock the account
 * first too): so a code is redeemed once however many checkouts race for it, and a member's
 * redemptions of one definition never pass its per-member limit. A points coupon's points are
 * posted through the ledger's write path, once per code: at once, or by the catch-up job when
 * that failed.
 */
@ApplicationScoped
public class CouponService {

    private static final Logger LOG = Logger.getLogger(CouponService.class);
    private static final String DEFINITION_LIST = "coupon-definitions";
    private static final int ISSUE_ATTEMPTS_MAX = 3;

    private final CouponRepository repository;
    private final CouponBatches batches;
    private final LedgerService ledger;
    private final AuditLog audit;
    private final CouponsConfig config;
    private final ProgramConfig program;
    private final Clock clock;

    CouponService(CouponRepository repository, CouponBatches batches, LedgerService ledger, AuditLog audit,
            CouponsConfig config, ProgramConfig program, Clock clock) {
        this.repository = repository;
        this.batches = batches;
        this.ledger = ledger;
        this.audit = audit;
        this.config = config;
        this.program = program;
        this.clock = clock;
    }

    /** A new definition, audited. Fails with VALIDATION_FAILED. */
    public Uni<CouponDefinition> createDefinition(Caller actor, CouponDefinitionRequest request) {
        CouponRules.validate(request);
        UUID definitionId = TimeOrderedIds.next(clock.millis());
        return repository.pool().withTransaction(transaction -> repository.insertDefinition(transaction, definitionId, request,
                        actor.partnerId())
                .call(created -> audit.record(transaction, actor.auditActor(), AuditAction.COUPON_DEFINITION_CREATED,
                        definitionId.toString(), Map.of("name", request.name(), "kind", request.kind().name()))));
    }

    /** Fails with COUPON_DEFINITION_NOT_FOUND. */
    public Uni<CouponDefinition> findDefinition(UUID definitionId) {
        return repository.findDefinition(definitionId).onItem().ifNull()
                .failWith(() -> new ProblemException(ErrorCode.COUPON_DEFINITION_NOT_FOUND, "No coupon definition " + definitionId));
    }

    /** Newest first. Fails with VALIDATION_FAILED for a bad cursor or limit. */
    public Uni<CouponDefinitionPage> definitions(String cursor, String limit) {
        int pageSize = Paging.pageSize(limit, config.pageSizeDefault(), CouponsConfig.PAGE_SIZE_MAX);
        long before = Paging.decodeCursor(DEFINITION_LIST, cursor);
        return repository.definitions(before, pageSize).map(rows -> new CouponDefinitionPage(
                rows.stream().map(CouponRepository.Sequenced::value).toList(),
                rows.size() < pageSize ? null : Paging.encodeCursor(DEFINITION_LIST, rows.get(rows.size() - 1).sequence())));
    }

    /**
     * One code of the definition, to {@code memberId} (who is told through the notification
     * channel) or as a bearer code; audited. Fails with COUPON_DEFINITION_NOT_FOUND or MEMBER_NOT_FOUND.
     */
    public Uni<Coupon> issue(Caller actor, UUID definitionId, UUID memberId) {
        return findDefinition(definitionId).chain(definition -> repository.pool().withTransaction(transaction -> {
            Uni<Boolean> member = memberId == null ? Uni.createFrom().item(true) : repository.lockMember(transaction, memberId);
            return member.chain(found -> {
                if (!found) {
                    return Uni.createFrom().failure(memberNotFound(memberId));
                }
                return issueFresh(transaction, definitionId, memberId, ISSUE_ATTEMPTS_MAX);
            }).call(coupon -> audit.record(transaction, actor.auditActor(), AuditAction.COUPONS_ISSUED, definitionId.toString(),
                    issuedDetails(coupon)));
        })).map(coupon -> coupon.view(now()));
    }

    /**
     * A code of the definition to the member, for a campaign's reward of an occasion (a signup, a
     * birthday month): once per member, campaign and occasion, however often asked; the code, or
     * null when the occasion was rewarded before. The member is told through the notification channel.
     */
    public Uni<Coupon> issueForOccasion(UUID memberId, UUID definitionId, UUID campaignId, String occasion) {
        return findDefinition(definitionId).chain(definition -> {
            OffsetDateTime until = definition.definition().validUntil();
            if (until != null && !now().isBefore(until)) {
                // A code that could never be redeemed would use the occasion up: none is issued, the occasion stays open.
                LOG.warnf("Campaign %s issues codes of coupon %s, whose validity ended at %s: none issued", campaignId,
                        definitionId, until);
                return Uni.createFrom().<Coupon>nullItem();
            }
            return issueOnce(memberId, definitionId, campaignId, occasion);
        });
    }

    private Uni<Coupon> issueOnce(UUID memberId, UUID definitionId, UUID campaignId, String occasion) {
        return repository.pool().withTransaction(transaction -> repository.claimOccasion(transaction, memberId, campaignId,
                        occasion)
                .chain(first -> first ? issueFresh(transaction, definitionId, memberId, ISSUE_ATTEMPTS_MAX)
                        : Uni.createFrom().nullItem()))
                .map(coupon -> coupon == null ? null : coupon.view(now()));
    }

    /** A code that exists already (one chance in 2^80 per code) is drawn again. */
    private Uni<CouponRepository.StoredCoupon> issueFresh(SqlClient transaction, UUID definitionId, UUID memberId, int attempts) {
        return repository.issue(transaction, CouponCodes.next(), definitionId, memberId).chain(coupon -> {
            if (coupon != null) {
                return Uni.createFrom().item(coupon);
            }
            if (attempts <= 1) {
                return Uni.createFrom().failure(new IllegalStateException("Every code drawn for definition " + definitionId
                        + " existed already"));
            }
            return issueFresh(transaction, definitionId, memberId, attempts - 1);
        });
    }

    private static Map<String, Object> issuedDetails(CouponRepository.StoredCoupon coupon) {
        Map<String, Object> details = new HashMap<>();
        details.put("count", 1);
        details.put("code", coupon.code());
        if (coupon.memberId() != null) {
            details.put("memberId", coupon.memberId().toString());
        }
        return details;
    }

    /** Starts issuing {@code count} bearer codes in the background; audited. Fails with COUPON_DEFINITION_NOT_FOUND. */
    public Uni<CouponBatch> startBatch(Caller actor, UUID definitionId, int count) {
        UUID batchId = TimeOrderedIds.next(clock.millis());
        return findDefinition(definitionId).chain(definition -> repository.pool().withTransaction(transaction -> repository
                        .insertBatch(transaction, batchId, definitionId, count, actor.partnerId())
                        .call(batch -> audit.record(transaction, actor.auditActor(), AuditAction.COUPONS_ISSUED,
                                definitionId.toString(), Map.of("count", count, "batchId", batchId.toString())))))
                .invoke(batch -> batches.start(batchId));
    }

    /** Fails with COUPON_BATCH_NOT_FOUND. */
    public Uni<CouponBatch> findBatch(UUID batchId) {
        return repository.findBatch(batchId).onItem().ifNull()
                .failWith(() -> new ProblemException(ErrorCode.COUPON_BATCH_NOT_FOUND, "No batch of coupons " + batchId));
    }

    /** The batch's codes in the order issued, to export. Fails with COUPON_BATCH_NOT_FOUND or VALIDATION_FAILED. */
    public Uni<CouponPage> batchCodes(UUID batchId, String cursor, String limit) {
        int pageSize = Paging.pageSize(limit, config.pageSizeDefault(), CouponsConfig.PAGE_SIZE_MAX);
        String list = "coupon-batch-" + batchId;
        long after = Paging.decodeCursor(list, cursor, 0);
        return findBatch(batchId).chain(() -> repository.batchCodes(batchId, after, pageSize)).map(rows -> page(rows, pageSize, list));
    }

    /** The member's codes in the order issued, whatever their status. Fails with MEMBER_NOT_FOUND or VALIDATION_FAILED. */
    public Uni<CouponPage> wallet(UUID memberId, String cursor, String limit) {
        int pageSize = Paging.pageSize(limit, config.pageSizeDefault(), CouponsConfig.PAGE_SIZE_MAX);
        String list = "coupon-wallet-" + memberId;
        long after = Paging.decodeCursor(list, cursor, 0);
        return repository.memberExists(repository.pool(), memberId)
                .chain(found -> found ? repository.wallet(memberId, after, pageSize) : Uni.createFrom().failure(memberNotFound(memberId)))
                .map(rows -> page(rows, pageSize, list));
    }

    private CouponPage page(List<CouponRepository.StoredCoupon> rows, int pageSize, String list) {
        OffsetDateTime now = now();
        return new CouponPage(rows.stream().map(coupon -> coupon.view(now)).toList(),
                rows.size() < pageSize ? null : Paging.encodeCursor(list, rows.get(rows.size() - 1).sequence()));
    }

    /**
     * What the code would give this basket now; changes nothing. Fails as a redemption would:
     * COUPON_NOT_FOUND, COUPON_OF_ANOTHER_MEMBER, COUPON_ALREADY_REDEEMED, COUPON_HELD,
     * COUPON_NOT_YET_VALID, COUPON_EXPIRED, COUPON_LIMIT_REACHED, COUPON_NOT_APPLICABLE,
     * CURRENCY_NOT_ACCEPTED or MEMBER_NOT_FOUND.
     */
    public Uni<CouponRedemption> validate(String typedCode, Basket basket) {
        String code = CouponCodes.normalized(typedCode);
        OffsetDateTime now = now();
        return repository.memberExists(repository.pool(), basket.memberId()).chain(found -> {
            if (!found) {
                return Uni.createFrom().failure(memberNotFound(basket.memberId()));
            }
            return repository.find(code);
        }).chain(coupon -> {
            requireUsable(coupon, code, basket.memberId(), basket.orderId(), now);
            return withinLimit(repository.pool(), coupon, basket.memberId());
        }).map(coupon -> CouponRules.give(code, coupon.definitionId(), coupon.definition(), basket, program.currency()));
    }

    /**
     * Redeems the code on the basket, once: a retry with the same Idempotency-Key (same partner and
     * member) replays the answer; anyone else's redemption of a redeemed code is refused. A points
     * coupon's points are posted to the member's account. Fails as {@link #validate} does, with
     * MEMBER_NOT_FOUND, or IDEMPOTENCY_KEY_REQUIRED.
     */
    public Uni<Posted<CouponRedemption>> redeem(Caller caller, String typedCode, String idempotencyKey, Basket basket) {
        LedgerService.requireIdempotencyKey(idempotencyKey);
        String code = CouponCodes.normalized(typedCode);
        OffsetDateTime now = now();
        return repository.pool().withTransaction(transaction -> lockForUse(transaction, code, basket.memberId())
                .chain(coupon -> {
                    if (isRetry(coupon, caller, idempotencyKey, basket.memberId())) {
                        if (!basket.orderId().equals(coupon.answer().orderId())) {
                            throw new ProblemException(ErrorCode.IDEMPOTENCY_KEY_REUSED, "The Idempotency-Key redeemed this "
                                    + "coupon on order " + coupon.answer().orderId() + ", not " + basket.orderId());
                        }
                        return Uni.createFrom().item(new Posted<>(200, coupon.answer(), true));
                    }
                    requireUsable(coupon, code, basket.memberId(), basket.orderId(), now);
                    return withinLimit(transaction, coupon, basket.memberId()).chain(usable -> {
                        CouponRedemption given = CouponRules.give(code, coupon.definitionId(), coupon.definition(), basket,
                                program.currency());
                        CouponRedemption redeemed = new CouponRedemption(given.code(), given.definitionId(), given.kind(),
                                given.memberId(), given.orderId(), given.discount(), given.freeItems(), given.points(), now);
                        return repository.redeem(transaction, redeemed, caller.partnerId(), idempotencyKey, redeemed.points())
                                .call(() -> audit.record(transaction, caller.auditActor(), AuditAction.COUPON_REDEEMED, code,
                                        Map.of("memberId", redeemed.memberId().toString(), "orderId", redeemed.orderId(),
                                                "definitionId", redeemed.definitionId().toString())))
                                .replaceWith(new Posted<>(200, redeemed, false));
                    });
                }))
                .call(posted -> posted.replayed() || posted.receipt().points() == null ? Uni.createFrom().voidItem()
                        : postPoints(posted.receipt()));
    }

    private static boolean isRetry(CouponRepository.StoredCoupon coupon, Caller caller, String idempotencyKey, UUID memberId) {
        return coupon.status() == CouponStatus.REDEEMED && idempotencyKey.equals(coupon.redeemKey())
                && memberId.equals(coupon.redeemedByMember()) && caller.partnerId().equals(coupon.redeemedBy());
    }

    /**
     * Holds the code for the member's checkout until it is redeemed, released, or
     * {@code points-ledger.coupons.hold-duration} passes; holding it again for the same order
     * extends the hold. Fails as {@link #validate} does (but for the basket), with MEMBER_NOT_FOUND.
     */
    public Uni<Coupon> hold(Caller caller, String typedCode, CouponHoldRequest request) {
        String code = CouponCodes.normalized(typedCode);
        OffsetDateTime now = now();
        OffsetDateTime until = now.plus(config.holdDuration());
        return repository.pool().withTransaction(transaction -> lockForUse(transaction, code, request.memberId())
                .chain(coupon -> {
                    requireUsable(coupon, code, request.memberId(), request.orderId(), now);
                    return withinLimit(transaction, coupon, request.memberId());
                })
                .call(coupon -> repository.hold(transaction, code, request.memberId(), request.orderId(), caller.partnerId(), until)))
                .chain(() -> repository.find(code)).map(coupon -> coupon.view(now));
    }

    /** Releases the code held for this order. Fails with COUPON_NOT_FOUND or COUPON_NOT_HELD. */
    public Uni<Coupon> release(String typedCode, CouponHoldRequest request) {
        String code = CouponCodes.normalized(typedCode);
        OffsetDateTime now = now();
        return repository.pool().withTransaction(transaction -> repository.lock(transaction, code).chain(coupon -> {
            requireFound(coupon, code);
            boolean heldForOrder = coupon.statusAt(now) == CouponStatus.HELD && request.memberId().equals(coupon.heldByMember())
                    && request.orderId().equals(coupon.heldOrderId());
            if (!heldForOrder) {
                return Uni.createFrom().failure(new ProblemException(ErrorCode.COUPON_NOT_HELD,
                        "The coupon is not held for order " + request.orderId() + " of this member"));
            }
            return repository.release(transaction, code);
        })).chain(() -> repository.find(code)).map(coupon -> coupon.view(now));
    }

    /** Releases every code the member held through this partner for the order: its checkout was voided. The number released. */
    public Uni<Integer> releaseForOrder(UUID memberId, String orderId, String partnerId) {
        return repository.releaseForOrder(memberId, orderId, partnerId);
    }

    /** Posts the points of points coupons redeemed a while ago whose posting failed; the number posted now. */
    public Uni<Integer> postDuePoints(int limit) {
        OffsetDateTime before = now().minus(config.pointsCatchUpDelay());
        return repository.pointsDue(before, limit).chain(due -> Multi.createFrom().iterable(due)
                .onItem().transformToUniAndConcatenate(coupon -> ledger.grantCoupon(coupon.memberId(), coupon.definitionId(),
                                coupon.code(), coupon.points(), coupon.orderId(), coupon.redeemedAt())
                        .chain(() -> repository.pointsPosted(coupon.code())).replaceWith(true)
                        // One coupon failing does not hold up the others: it stays due for the next run.
                        .onFailure().recoverWithItem(failure -> {
                            LOG.warnf("The points of coupon %s stay due: %s", coupon.code(), failure.toString());
                            return false;
                        }))
                .filter(Boolean::booleanValue).collect().asList().map(List::size));
    }

    /** At once after the redemption; a failure leaves them due, for {@link #postDuePoints}. */
    private Uni<Void> postPoints(CouponRedemption redeemed) {
        return ledger.grantCoupon(redeemed.memberId(), redeemed.definitionId(), redeemed.code(), redeemed.points(),
                        redeemed.orderId(), redeemed.redeemedAt())
                .chain(() -> repository.pointsPosted(redeemed.code()))
                .onFailure().recoverWithUni(failure -> {
                    LOG.warnf("The points of coupon %s wait for the catch-up job: %s", redeemed.code(), failure.toString());
                    return Uni.createFrom().voidItem();
                });
    }

    /** The member's account, then the code: the order every use of a code takes its locks in. */
    private Uni<CouponRepository.StoredCoupon> lockForUse(SqlClient transaction, String code, UUID memberId) {
        return repository.lockMember(transaction, memberId).chain(found -> found ? repository.lock(transaction, code)
                : Uni.createFrom().failure(memberNotFound(memberId)));
    }

    private static void requireFound(CouponRepository.StoredCoupon coupon, String code) {
        if (coupon == null) {
            throw new ProblemException(ErrorCode.COUPON_NOT_FOUND, "No coupon " + code);
        }
    }

    private static void requireUsable(CouponRepository.StoredCoupon coupon, String code, UUID memberId, String orderId,
            OffsetDateTime now) {
        requireFound(coupon, code);
        if (coupon.memberId() != null && !coupon.memberId().equals(memberId)) {
            throw new ProblemException(ErrorCode.COUPON_OF_ANOTHER_MEMBER, "The coupon " + code + " was issued to another member");
        }
        CouponStatus status = coupon.statusAt(now);
        if (status == CouponStatus.REDEEMED) {
            throw new ProblemException(ErrorCode.COUPON_ALREADY_REDEEMED, "The coupon " + code + " was redeemed at "
                    + coupon.redeemedAt());
        }
        if (status == CouponStatus.HELD && !(memberId.equals(coupon.heldByMember()) && orderId.equals(coupon.heldOrderId()))) {
            throw new ProblemException(ErrorCode.COUPON_HELD, "The coupon " + code + " is held for another checkout until "
                    + coupon.heldUntil());
        }
        CouponRules.requireValidAt(coupon.definition(), now);
    }

    /** Fails with COUPON_LIMIT_REACHED when the member redeemed as many of the definition as it allows. */
    private Uni<CouponRepository.StoredCoupon> withinLimit(SqlClient client, CouponRepository.StoredCoupon coupon,
            UUID memberId) {
        Integer limit = coupon.definition().perMemberLimit();
        if (limit == null) {
            return Uni.createFrom().item(coupon);
        }
        return repository.redeemedByMember(client, memberId, coupon.definitionId()).map(redeemed -> {
            if (redeemed >= limit) {
                throw new ProblemException(ErrorCode.COUPON_LIMIT_REACHED, "The member redeemed " + redeemed
                        + " coupons of this kind, the most allowed");
            }
            return coupon;
        });
    }

    private static ProblemException memberNotFound(UUID memberId) {
        return new ProblemException(ErrorCode.MEMBER_NOT_FOUND, "No member " + memberId);
    }

    private OffsetDateTime now() {
        return OffsetDateTime.now(clock);
    }
}
