package io.pointsledger.campaigns;

import io.pointsledger.audit.AuditAction;
import io.pointsledger.audit.AuditLog;
import io.pointsledger.coupons.CouponService;
import io.pointsledger.partners.Caller;
import io.pointsledger.platform.EnumParameter;
import io.pointsledger.platform.ErrorCode;
import io.pointsledger.platform.Paging;
import io.pointsledger.platform.ProblemException;
import io.pointsledger.platform.TimeOrderedIds;
import io.pointsledger.segments.SegmentService;
import io.smallrye.mutiny.Multi;
import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.sqlclient.SqlClient;
import jakarta.enterprise.context.ApplicationScoped;
import java.time.Clock;
import java.util.Map;
import java.util.Objects;
import java.util.UUID;

/**
 * Campaigns' lifecycle: every change writes a new version, audited, in one transaction that locks
 * the campaign, and is then loaded by every instance ({@link ActiveCampaigns}). A change names the
 * version it was made against ({@code If-Match}), so that two operators editing at once cannot
 * overwrite each other unseen.
 */
@ApplicationScoped
public class CampaignService {

    private static final String CAMPAIGN_LIST = "campaigns";

    private final CampaignRepository repository;
    private final AuditLog audit;
    private final ActiveCampaigns active;
    private final CampaignsConfig config;
    private final CouponService coupons;
    private final SegmentService segments;
    private final Clock clock;

    CampaignService(CampaignRepository repository, AuditLog audit, ActiveCampaigns active, CampaignsConfig config,
            CouponService coupons, SegmentService segments, Clock clock) {
        this.repository = repository;
        this.audit = audit;
        this.active = active;
        this.config = config;
        this.coupons = coupons;
        this.segments = segments;
        this.clock = clock;
    }

    /** A new campaign, as a draft. Fails with VALIDATION_FAILED. */
    public Uni<Campaign> create(Caller actor, CampaignDefinition definition) {
        CampaignRules.validate(definition);
        UUID campaignId = TimeOrderedIds.next(clock.millis());
        return referencesExist(definition).chain(() -> repository.pool().withTransaction(transaction -> repository.lockChanges(transaction)
                        .chain(() -> repository.insert(transaction, campaignId, definition, actor.partnerId()))
                .call(stored -> audited(transaction, actor, AuditAction.CAMPAIGN_CREATED, stored.campaign()))))
                .call(active::changed)
                .map(CampaignRepository.StoredCampaign::campaign);
    }

    /**
     * Fails with COUPON_DEFINITION_NOT_FOUND when an effect names a coupon definition that does not
     * exist, or SEGMENT_NOT_FOUND when the conditions name a segment that does not.
     */
    private Uni<Void> referencesExist(CampaignDefinition definition) {
        UUID segmentId = definition.conditionsOrNone().segmentId();
        Uni<Void> segmentKnown = segmentId == null ? Uni.createFrom().voidItem() : segments.requireExists(segmentId);
        return segmentKnown.chain(() -> Multi.createFrom().iterable(definition.effects()).filter(effect -> !effect.givesPoints())
                .onItem().transformToUniAndConcatenate(effect -> coupons.findDefinition(effect.couponDefinitionId()))
                .collect().last().replaceWithVoid());
    }

    /**
     * Replaces the definition, keeping the status: an active campaign applies the new version from
     * the next earn on; {@code expectedVersion} null ({@code If-Match: *}) takes any version. Fails
     * with CAMPAIGN_NOT_FOUND, CAMPAIGN_VERSION_MISMATCH, or
     * CAMPAIGN_STATE_CONFLICT for an ended campaign.
     */
    public Uni<Campaign> update(Caller actor, UUID campaignId, Long expectedVersion, CampaignDefinition definition) {
        CampaignRules.validate(definition);
        return referencesExist(definition).chain(() -> change(actor, campaignId, expectedVersion, (transaction, stored) -> {
            if (stored.status() == CampaignStatus.ENDED) {
                throw new ProblemException(ErrorCode.CAMPAIGN_STATE_CONFLICT, "An ended campaign cannot change");
            }
            requireFixedOnceRun(stored, definition);
            return repository.change(transaction, campaignId, stored.status(), definition, actor.partnerId())
                    .call(changed -> audited(transaction, actor, AuditAction.CAMPAIGN_UPDATED, changed.campaign()))
                    .map(Outcome::changed);
        }));
    }

    /**
     * Moves the campaign to {@code status}: where it already is, nothing changes. Fails with
     * CAMPAIGN_NOT_FOUND, CAMPAIGN_VERSION_MISMATCH (when a version is named), CAMPAIGN_STATE_CONFLICT
     * (an ended campaign, or a draft paused), or ACTIVE_CAMPAIGN_LIMIT_REACHED.
     */
    public Uni<Campaign> moveTo(Caller actor, UUID campaignId, Long expectedVersion, CampaignStatus status) {
        return change(actor, campaignId, expectedVersion, (transaction, stored) -> {
            if (stored.status() == status) {
                return Uni.createFrom().item(Outcome.unchanged(stored));
            }
            if (!stored.status().mayBecome(status)) {
                throw new ProblemException(ErrorCode.CAMPAIGN_STATE_CONFLICT,
                        "A campaign that is " + stored.status() + " cannot become " + status);
            }
            Uni<Void> allowed = status == CampaignStatus.ACTIVE ? checkActiveLimit(transaction) : Uni.createFrom().voidItem();
            return allowed.chain(() -> repository.change(transaction, campaignId, status, stored.definition(), actor.partnerId()))
                    .call(changed -> audited(transaction, actor, auditAction(status), changed.campaign()))
                    .map(Outcome::changed);
        });
    }

    public Uni<Campaign> find(UUID campaignId) {
        return repository.find(campaignId).onItem().ifNull().failWith(() -> notFound(campaignId))
                .map(CampaignRepository.StoredCampaign::campaign);
    }

    /** Newest first. Fails with VALIDATION_FAILED for a bad status, cursor or limit. */
    public Uni<CampaignPage> page(String status, String cursor, String limit) {
        CampaignStatus filter = EnumParameter.parse("status", status, CampaignStatus.class);
        int pageSize = Paging.pageSize(limit, config.pageSizeDefault(), CampaignsConfig.PAGE_SIZE_MAX);
        long before = Paging.decodeCursor(CAMPAIGN_LIST, cursor);
        return repository.page(filter, before, pageSize).map(rows -> new CampaignPage(
                rows.stream().map(CampaignRepository.StoredCampaign::campaign).toList(),
                rows.size() < pageSize ? null : Paging.encodeCursor(CAMPAIGN_LIST, rows.get(rows.size() - 1).sequence())));
    }

    /** Newest first. Fails with CAMPAIGN_NOT_FOUND, or VALIDATION_FAILED for a bad cursor or limit. */
    public Uni<CampaignVersionPage> versions(UUID campaignId, String cursor, String limit) {
        int pageSize = Paging.pageSize(limit, config.pageSizeDefault(), CampaignsConfig.PAGE_SIZE_MAX);
        String list = "campaign-versions-" + campaignId;
        long before = Paging.decodeCursor(list, cursor);
        return find(campaignId).chain(() -> repository.versions(campaignId, before, pageSize)).map(versions ->
                new CampaignVersionPage(versions, versions.size() < pageSize ? null
                        : Paging.encodeCursor(list, versions.get(versions.size() - 1).version())));
    }

    private interface Change {
        Uni<Outcome> apply(SqlClient transaction, Campaign stored);
    }

    /** The campaign after a change, and whether the change wrote a new version. */
    private record Outcome(Campaign campaign, boolean changed) {

        static Outcome unchanged(Campaign campaign) {
            return new Outcome(campaign, false);
        }

        static Outcome changed(CampaignRepository.StoredCampaign stored) {
            return new Outcome(stored.campaign(), true);
        }
    }

    private Uni<Campaign> change(Caller actor, UUID campaignId, Long expectedVersion, Change change) {
        return repository.pool().withTransaction(transaction -> repository.lockChanges(transaction)
                        .chain(() -> repository.lock(transaction, campaignId))
                        .chain(locked -> {
                            if (locked == null) {
                                return Uni.createFrom().failure(notFound(campaignId));
                            }
                            Campaign stored = locked.campaign();
                            if (expectedVersion != null && expectedVersion != stored.version()) {
                                return Uni.createFrom().failure(new ProblemException(ErrorCode.CAMPAIGN_VERSION_MISMATCH,
                                        "The campaign is at version " + stored.version() + ", not " + expectedVersion
                                                + ": read it again and apply the change to that version"));
                            }
                            return change.apply(transaction, stored);
                        }))
                .call(outcome -> outcome.changed() ? active.changed() : Uni.createFrom().voidItem())
                .map(Outcome::campaign);
    }

    /**
     * Once a campaign has run, its budget and variants stay as they were. Every instance applies the
     * budget of its own copy of the campaign, which may lag a change by a moment: a budget set,
     * lowered or removed mid-run could be passed by an instance that has not seen it yet. Members
     * exposed to a test keep their variant; shares that moved would put others in another one.
     */
    private static void requireFixedOnceRun(Campaign stored, CampaignDefinition definition) {
        if (stored.status() == CampaignStatus.DRAFT) {
            return;
        }
        if (!Objects.equals(stored.definition().budget(), definition.budget())) {
            throw new ProblemException(ErrorCode.CAMPAIGN_STATE_CONFLICT,
                    "The budget of a campaign that has run cannot change: end it and start another");
        }
        if (!Objects.equals(stored.definition().variants(), definition.variants())) {
            throw new ProblemException(ErrorCode.CAMPAIGN_STATE_CONFLICT,
                    "The variants of a campaign that has run cannot change: end it and start another test");
        }
    }

    private Uni<Void> checkActiveLimit(SqlClient transaction) {
        return repository.countActive(transaction).invoke(count -> {
            if (count >= config.activeMax()) {
                throw new ProblemException(ErrorCode.ACTIVE_CAMPAIGN_LIMIT_REACHED, count + " campaigns are active, the most "
                        + "allowed (points-ledger.campaigns.active-max): pause or end one first");
            }
        }).replaceWithVoid();
    }

    private Uni<Void> audited(SqlClient transaction, Caller actor, AuditAction action, Campaign campaign) {
        return audit.record(transaction, actor.auditActor(), action, campaign.campaignId().toString(),
                Map.of("version", campaign.version(), "status", campaign.status().name(), "name", campaign.definition().name()));
    }

    private static AuditAction auditAction(CampaignStatus status) {
        return switch (status) {
            case ACTIVE -> AuditAction.CAMPAIGN_ACTIVATED;
            case PAUSED -> AuditAction.CAMPAIGN_PAUSED;
            case ENDED -> AuditAction.CAMPAIGN_ENDED;
            case DRAFT -> throw new IllegalArgumentException("No campaign moves back to DRAFT");
        };
    }

    private static ProblemException notFound(UUID campaignId) {
        return new ProblemException(ErrorCode.CAMPAIGN_NOT_FOUND, "No campaign " + campaignId);
    }
}
