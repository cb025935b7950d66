package io.pointsledger.communication;

import io.pointsledger.audit.AuditAction;
import io.pointsledger.audit.AuditLog;
import io.pointsledger.ledger.LedgerService;
import io.pointsledger.members.MemberAddresses;
import io.pointsledger.partners.Caller;
import io.pointsledger.platform.ApiLimits;
import io.pointsledger.platform.EnumParameter;
import io.pointsledger.platform.ErrorCode;
import io.pointsledger.platform.Paging;
import io.pointsledger.platform.ProblemException;
import io.pointsledger.platform.TimeOrderedIds;
import io.pointsledger.segments.SegmentService;
import io.smallrye.mutiny.Uni;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import jakarta.enterprise.context.ApplicationScoped;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Clock;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.UUID;
import java.util.regex.Pattern;

/** Announcements: made once per Idempotency-Key, planned in the background, read with their delivery report. */
@ApplicationScoped
public class AnnouncementService {

    /** The most announcements or messages one page shows. */
    static final int PAGE_SIZE_MAX = 500;
    static final int PAGE_SIZE_DEFAULT = 50;
    private static final Pattern LANGUAGE = Pattern.compile(ApiLimits.LANGUAGE_PATTERN);

    private final AnnouncementRepository repository;
    private final MessageRepository messages;
    private final AnnouncementPlanner planner;
    private final MemberAddresses addresses;
    private final AuditLog audit;
    private final SegmentService segments;
    private final Clock clock;

    AnnouncementService(AnnouncementRepository repository, MessageRepository messages, AnnouncementPlanner planner,
            MemberAddresses addresses, AuditLog audit, SegmentService segments, Clock clock) {
        this.repository = repository;
        this.messages = messages;
        this.planner = planner;
        this.addresses = addresses;
        this.audit = audit;
        this.segments = segments;
        this.clock = clock;
    }

    /** The announcement made, or the one the key made before (replayed). */
    public record Created(Announcement announcement, boolean replayed) {
    }

    /**
     * Makes the announcement and starts planning it. Fails with IDEMPOTENCY_KEY_REQUIRED,
     * VALIDATION_FAILED, SEGMENT_NOT_FOUND, or IDEMPOTENCY_KEY_REUSED (the key made another announcement).
     */
    public Uni<Created> create(Caller caller, String idempotencyKey, AnnouncementRequest request) {
        LedgerService.requireIdempotencyKey(idempotencyKey);
        requireLanguages(request);
        UUID segmentId = request.audience() == null ? null : request.audience().segmentId();
        if (request.audience() != null) {
            request.audience().requireOneKind();
        }
        MessageImportance importance = request.importance() == null ? MessageImportance.NORMAL : request.importance();
        byte[] requestHash = hash(request, importance);
        UUID announcementId = TimeOrderedIds.next(clock.millis());
        Uni<Void> segmentKnown = segmentId == null ? Uni.createFrom().voidItem() : segments.requireExists(segmentId);
        return segmentKnown.chain(() -> repository.pool().withTransaction(transaction -> repository
                        .insert(transaction, announcementId, request, importance, idempotencyKey, requestHash, caller.partnerId())
                        .flatMap(made -> made != null
                                ? audit.record(transaction, caller.auditActor(), AuditAction.ANNOUNCEMENT_CREATED, announcementId.toString(),
                                        Map.of("languages", List.copyOf(request.contents().keySet()), "importance", importance.name()))
                                        .replaceWith(new Created(made.announcement(), false))
                                : repository.byKey(transaction, caller.partnerId(), idempotencyKey).map(earlier -> replay(earlier, requestHash)))))
                .invoke(created -> planner.plan(created.announcement().announcementId()));
    }

    private static Created replay(AnnouncementRepository.Stored earlier, byte[] requestHash) {
        if (!MessageDigest.isEqual(earlier.requestHash(), requestHash)) {
            throw new ProblemException(ErrorCode.IDEMPOTENCY_KEY_REUSED,
                    "This Idempotency-Key made announcement " + earlier.announcement().announcementId() + " with another request");
        }
        return new Created(earlier.announcement(), true);
    }

    /** Every language a BCP 47 tag, and the default one of them: the fallback of every member's message. */
    private static void requireLanguages(AnnouncementRequest request) {
        for (String language : request.contents().keySet()) {
            if (!LANGUAGE.matcher(language).matches()) {
                throw ProblemException.invalid("contents", "languages must be BCP 47 tags such as ko, en or en-GB");
            }
        }
        if (!request.contents().containsKey(request.defaultLanguage())) {
            throw ProblemException.invalid("defaultLanguage", "must be one of the languages of contents");
        }
    }

    /** The request in one canonical form (languages and tiers sorted), hashed: what a replay must match. */
    private static byte[] hash(AnnouncementRequest request, MessageImportance importance) {
        JsonObject contents = new JsonObject();
        new TreeMap<>(request.contents()).forEach((language, content) -> contents.put(language,
                new JsonObject().put("title", content.title()).put("body", content.body())));
        JsonArray tiers = request.audience() == null || request.audience().tiers() == null ? null
                : new JsonArray(request.audience().tiers().stream().map(Enum::name).sorted().toList());
        JsonObject canonical = new JsonObject().put("contents", contents).put("defaultLanguage", request.defaultLanguage())
                .put("tiers", tiers).put("importance", importance.name());
        if (request.audience() != null && request.audience().segmentId() != null) {
            // Only when named: requests from before segments keep the hash they had.
            canonical.put("segmentId", request.audience().segmentId().toString());
        }
        try {
            return MessageDigest.getInstance("SHA-256").digest(canonical.encode().getBytes(StandardCharsets.UTF_8));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    /** The announcement and its delivery report. Fails with ANNOUNCEMENT_NOT_FOUND. */
    public Uni<Announcement> find(UUID announcementId) {
        return repository.find(announcementId).onItem().ifNull().failWith(() -> notFound(announcementId))
                .flatMap(stored -> messages.report(announcementId).map(report -> stored.announcement().withReport(report)));
    }

    /** Newest first. Fails with VALIDATION_FAILED (limit, cursor). */
    public Uni<AnnouncementPage> page(String cursor, String limit) {
        int pageSize = Paging.pageSize(limit, PAGE_SIZE_DEFAULT, PAGE_SIZE_MAX);
        long before = Paging.decodeCursor("announcements", cursor);
        return repository.page(before, pageSize + 1).map(rows -> new AnnouncementPage(
                rows.stream().limit(pageSize).map(AnnouncementRepository.Stored::announcement).toList(),
                rows.size() > pageSize ? Paging.encodeCursor("announcements", rows.get(pageSize - 1).sequence()) : null));
    }

    /** The announcement's messages, newest first, of one status or all. Fails with ANNOUNCEMENT_NOT_FOUND or VALIDATION_FAILED. */
    public Uni<MemberMessagePage> messages(UUID announcementId, String status, String cursor, String limit) {
        int pageSize = Paging.pageSize(limit, PAGE_SIZE_DEFAULT, PAGE_SIZE_MAX);
        String list = "announcement-messages-" + announcementId;
        long before = Paging.decodeCursor(list, cursor);
        MessageStatus wanted = EnumParameter.parse("status", status, MessageStatus.class);
        return repository.find(announcementId).onItem().ifNull().failWith(() -> notFound(announcementId))
                .flatMap(found -> messages.ofAnnouncement(announcementId, wanted, before, pageSize + 1))
                .map(rows -> page(rows, pageSize, list));
    }

    /** The member's messages, newest first. Fails with MEMBER_NOT_FOUND or VALIDATION_FAILED. */
    public Uni<MemberMessagePage> memberMessages(UUID memberId, String cursor, String limit) {
        int pageSize = Paging.pageSize(limit, PAGE_SIZE_DEFAULT, PAGE_SIZE_MAX);
        String list = "member-messages-" + memberId;
        long before = Paging.decodeCursor(list, cursor);
        return addresses.of(List.of(memberId))
                .flatMap(found -> found.containsKey(memberId) ? messages.ofMember(memberId, before, pageSize + 1)
                        : Uni.createFrom().failure(new ProblemException(ErrorCode.MEMBER_NOT_FOUND, "No member " + memberId)))
                .map(rows -> page(rows, pageSize, list));
    }

    /**
     * Stops the announcement: its planning ends, and its messages not yet sent are skipped as they
     * come due. Cancelling it again changes nothing. Fails with ANNOUNCEMENT_NOT_FOUND.
     */
    public Uni<Announcement> cancel(Caller caller, UUID announcementId) {
        return repository.pool().withTransaction(transaction -> repository.cancel(transaction, announcementId)
                        .flatMap(cancelled -> cancelled == null ? Uni.createFrom().voidItem()
                                : audit.record(transaction, caller.auditActor(), AuditAction.ANNOUNCEMENT_CANCELLED,
                                        announcementId.toString(), Map.of())))
                .invoke(() -> planner.skipCancelled(announcementId))
                .flatMap(ignored -> find(announcementId));
    }

    private static MemberMessagePage page(List<MemberMessage> rows, int pageSize, String list) {
        return new MemberMessagePage(rows.stream().limit(pageSize).toList(),
                rows.size() > pageSize ? Paging.encodeCursor(list, rows.get(pageSize - 1).sequence()) : null);
    }

    private static ProblemException notFound(UUID announcementId) {
        return new ProblemException(ErrorCode.ANNOUNCEMENT_NOT_FOUND, "No announcement " + announcementId);
    }
}
