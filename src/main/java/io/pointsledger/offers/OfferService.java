package io.pointsledger.offers;

import io.pointsledger.audit.AuditAction;
import io.pointsledger.audit.AuditLog;
import io.pointsledger.coupons.CouponService;
import io.pointsledger.ledger.LedgerService;
import io.pointsledger.ledger.MemberSegments;
import io.pointsledger.partners.Caller;
import io.pointsledger.platform.EnumParameter;
import io.pointsledger.platform.ErrorCode;
import io.pointsledger.platform.Paging;
import io.pointsledger.platform.ProblemException;
import io.pointsledger.platform.TimeOrderedIds;
import io.pointsledger.segments.SegmentService;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;
import java.time.Clock;
import java.time.OffsetDateTime;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.UUID;
import java.util.stream.Collectors;

/**
 * Member-only offers: written and ended by the operator (audited; at most
 * {@code points-ledger.offers.active-max} active), and looked up per member, for the tier the
 * member holds now.
 */
@ApplicationScoped
public class OfferService {

    private static final String OFFER_LIST = "offers";

    private final OfferRepository repository;
    private final LedgerService ledger;
    private final CouponService coupons;
    private final AuditLog audit;
    private final OffersConfig config;
    private final SegmentService segments;
    private final MemberSegments memberSegments;
    private final Clock clock;

    OfferService(OfferRepository repository, LedgerService ledger, CouponService coupons, AuditLog audit, OffersConfig config,
            SegmentService segments, MemberSegments memberSegments, Clock clock) {
        this.repository = repository;
        this.ledger = ledger;
        this.coupons = coupons;
        this.audit = audit;
        this.config = config;
        this.segments = segments;
        this.memberSegments = memberSegments;
        this.clock = clock;
    }

    /** Fails with VALIDATION_FAILED, COUPON_DEFINITION_NOT_FOUND or ACTIVE_OFFER_LIMIT_REACHED. */
    public Uni<Offer> create(Caller actor, OfferRequest request) {
        OfferRules.validate(request);
        UUID offerId = TimeOrderedIds.next(clock.millis());
        UUID segmentId = request.eligibilityOrEveryMember().segmentId();
        Uni<Void> couponKnown = (request.couponDefinitionId() == null ? Uni.createFrom().voidItem()
                : coupons.findDefinition(request.couponDefinitionId()).replaceWithVoid())
                .chain(() -> segmentId == null ? Uni.createFrom().voidItem() : segments.requireExists(segmentId));
        return couponKnown.chain(() -> repository.pool().withTransaction(transaction -> repository.lockChanges(transaction)
                .chain(() -> repository.countActive(transaction))
                .invoke(active -> {
                    if (active >= config.activeMax()) {
                        throw new ProblemException(ErrorCode.ACTIVE_OFFER_LIMIT_REACHED, active + " offers are active, the most "
                                + "allowed (points-ledger.offers.active-max): end one first");
                    }
                })
                .chain(() -> repository.insert(transaction, offerId, request, actor.partnerId()))
                .call(stored -> audit.record(transaction, actor.auditActor(), AuditAction.OFFER_CREATED, offerId.toString(),
                        Map.of("name", request.name(), "kind", request.kind().name())))))
                .map(OfferRepository.StoredOffer::offer);
    }

    /** Fails with OFFER_NOT_FOUND. */
    public Uni<Offer> find(UUID offerId) {
        return repository.find(offerId).onItem().ifNull().failWith(() -> notFound(offerId)).map(OfferRepository.StoredOffer::offer);
    }

    /** Ends the offer for good; an ended one is left as it is. Fails with OFFER_NOT_FOUND. */
    public Uni<Offer> end(Caller actor, UUID offerId) {
        return repository.pool().withTransaction(transaction -> repository.lockChanges(transaction)
                        .chain(() -> repository.end(transaction, offerId))
                        .onItem().ifNull().failWith(() -> notFound(offerId))
                        .call(stored -> audit.record(transaction, actor.auditActor(), AuditAction.OFFER_ENDED, offerId.toString(),
                                Map.of("name", stored.offer().definition().name()))))
                .map(OfferRepository.StoredOffer::offer);
    }

    /** Newest first. Fails with VALIDATION_FAILED for a bad status, cursor or limit. */
    public Uni<OfferPage> page(String status, String cursor, String limit) {
        OfferStatus filter = EnumParameter.parse("status", status, OfferStatus.class);
        int pageSize = Paging.pageSize(limit, config.pageSizeDefault(), OffersConfig.PAGE_SIZE_MAX);
        long before = Paging.decodeCursor(OFFER_LIST, cursor);
        return repository.page(filter, before, pageSize).map(rows -> new OfferPage(
                rows.stream().map(OfferRepository.StoredOffer::offer).toList(),
                rows.size() < pageSize ? null : Paging.encodeCursor(OFFER_LIST, rows.get(rows.size() - 1).sequence())));
    }

    /** What the member may use now, for the tier they hold and the segments they are in. Fails with MEMBER_NOT_FOUND. */
    public Uni<MemberOffers> forMember(UUID memberId) {
        OffsetDateTime now = OffsetDateTime.now(clock);
        return ledger.balance(memberId).chain(balance -> repository.active(config.activeMax()).flatMap(active -> {
            List<Offer> usable = active.stream().map(OfferRepository.StoredOffer::offer)
                    .filter(offer -> OfferRules.usableBy(offer, balance.tier(), now)).toList();
            return inTheirSegments(memberId, usable).map(offers -> new MemberOffers(memberId, balance.tier(), offers));
        }));
    }

    /** Those of {@code offers} whose segment, if they name one, admits the member: one statement for them all. */
    private Uni<List<Offer>> inTheirSegments(UUID memberId, List<Offer> offers) {
        Set<UUID> named = offers.stream().map(offer -> offer.definition().eligibilityOrEveryMember().segmentId())
                .filter(Objects::nonNull).collect(Collectors.toSet());
        if (named.isEmpty()) {
            return Uni.createFrom().item(offers);
        }
        return memberSegments.admitted(repository.pool(), named, Set.of(memberId)).map(admitted -> {
            Set<UUID> theirs = admitted.getOrDefault(memberId, Set.of());
            return offers.stream().filter(offer -> {
                UUID segmentId = offer.definition().eligibilityOrEveryMember().segmentId();
                return segmentId == null || theirs.contains(segmentId);
            }).toList();
        });
    }

    private static ProblemException notFound(UUID offerId) {
        return new ProblemException(ErrorCode.OFFER_NOT_FOUND, "No offer " + offerId);
    }
}
