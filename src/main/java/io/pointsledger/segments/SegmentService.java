package io.pointsledger.segments;

import io.pointsledger.audit.AuditAction;
import io.pointsledger.audit.AuditLog;
import io.pointsledger.members.MemberService;
import io.pointsledger.partners.Caller;
import io.pointsledger.platform.ErrorCode;
import io.pointsledger.platform.IfMatch;
import io.pointsledger.platform.Paging;
import io.pointsledger.platform.ProblemException;
import io.pointsledger.platform.TimeOrderedIds;
import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.sqlclient.SqlClient;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Event;
import java.time.Clock;
import java.util.List;
import java.util.Map;
import java.util.UUID;

/**
 * Saved segments: rules over members' attributes, evaluated whenever they are used, so that a
 * segment is always who its rule admits now. Campaigns, offers and announcements name a segment by
 * id and ask here whether it admits a member, or for its members page by page.
 */
@ApplicationScoped
public class SegmentService {

    private static final String SEGMENT_LIST = "segments";
    private static final String MEMBER_LIST = "segment-members";

    private final SegmentRepository repository;
    private final AttributeRuns runs;
    private final SegmentsConfig config;
    private final AuditLog audit;
    private final Clock clock;
    private final Event<SegmentSaved> saved;

    SegmentService(SegmentRepository repository, AttributeRuns runs, SegmentsConfig config, AuditLog audit, Clock clock,
            Event<SegmentSaved> saved) {
        this.repository = repository;
        this.runs = runs;
        this.config = config;
        this.audit = audit;
        this.clock = clock;
        this.saved = saved;
    }

    /** Fails with VALIDATION_FAILED (a rule that does not parse) or SEGMENT_NAME_TAKEN. */
    public Uni<Segment> create(Caller actor, SegmentRequest request) {
        SegmentRule.parse(request.rule());
        UUID segmentId = TimeOrderedIds.next(clock.millis());
        return repository.pool().withTransaction(transaction -> repository.insert(transaction, segmentId, request, actor.partnerId())
                .map(saved -> saved.orElseThrow(() -> nameTaken(request.name())))
                .call(segment -> audited(transaction, actor, AuditAction.SEGMENT_CREATED, segment)))
                .invoke(segment -> saved.fire(new SegmentSaved(segment)));
    }

    /**
     * Changes the segment's name, description and rule, made against the version {@code ifMatch}
     * names. Fails with IF_MATCH_REQUIRED, VALIDATION_FAILED, SEGMENT_NOT_FOUND,
     * SEGMENT_VERSION_MISMATCH or SEGMENT_NAME_TAKEN.
     */
    public Uni<Segment> update(Caller actor, UUID segmentId, SegmentRequest request, String ifMatch) {
        SegmentRule.parse(request.rule()); // a fault of the body is told before a missing If-Match, as for any other
        Long version = IfMatch.required(ifMatch, "segment", "the version field of the segment as read");
        return find(segmentId).flatMap(known -> repository.nameTakenByAnother(request.name(), segmentId)).flatMap(taken -> {
            if (taken) {
                throw nameTaken(request.name());
            }
            return repository.pool().withTransaction(transaction -> repository.update(transaction, segmentId, request, version)
                    .flatMap(changed -> changed.isPresent()
                            ? Uni.createFrom().item(changed.get())
                            : find(segmentId).map(found -> {
                                throw new ProblemException(ErrorCode.SEGMENT_VERSION_MISMATCH, "The segment is at version "
                                        + found.version() + ", not " + version + ": read it again");
                            }))
                    .call(segment -> audited(transaction, actor, AuditAction.SEGMENT_UPDATED, segment)))
                    .invoke(segment -> saved.fire(new SegmentSaved(segment)));
        }).onFailure(SegmentService::nameConflict).transform(failure -> nameTaken(request.name()));
    }

    /** Fails with SEGMENT_NOT_FOUND. */
    public Uni<Segment> find(UUID segmentId) {
        return repository.find(segmentId).map(found -> found.orElseThrow(() -> notFound(segmentId)));
    }

    /** The segment with how many members it admits now. Fails with SEGMENT_NOT_FOUND. */
    public Uni<SegmentDetails> details(UUID segmentId) {
        return find(segmentId).flatMap(segment -> repository.count(SegmentRule.parse(segment.rule()))
                .flatMap(count -> repository.latestFinishedDay()
                        .map(day -> new SegmentDetails(segment, count, day.orElse(null)))));
    }

    /** Newest first. Fails with VALIDATION_FAILED for a bad cursor or limit. */
    public Uni<SegmentPage> page(String cursor, String limit) {
        int size = Paging.pageSize(limit, config.pageSizeDefault(), SegmentsConfig.PAGE_SIZE_MAX);
        long before = Paging.decodeCursor(SEGMENT_LIST, cursor);
        return repository.segments(before, size + 1).map(rows -> {
            boolean more = rows.size() > size;
            List<SegmentRepository.Sequenced<Segment>> page = more ? rows.subList(0, size) : rows;
            return new SegmentPage(page.stream().map(SegmentRepository.Sequenced::value).toList(),
                    more ? Paging.encodeCursor(SEGMENT_LIST, page.get(page.size() - 1).sequence()) : null);
        });
    }

    /** A page of the members the segment admits now, in id order. Fails with SEGMENT_NOT_FOUND or VALIDATION_FAILED. */
    public Uni<SegmentMemberPage> members(UUID segmentId, String cursor, String limit) {
        int size = Paging.pageSize(limit, config.pageSizeDefault(), SegmentsConfig.PAGE_SIZE_MAX);
        UUID after = Paging.decodeIdCursor(MEMBER_LIST, cursor, SegmentRepository.FIRST_MEMBER_BOUND);
        return find(segmentId).flatMap(segment -> repository.members(SegmentRule.parse(segment.rule()), after, size + 1)).map(rows -> {
            boolean more = rows.size() > size;
            List<MemberAttributes> page = more ? rows.subList(0, size) : rows;
            return new SegmentMemberPage(page,
                    more ? Paging.encodeCursor(MEMBER_LIST, page.get(page.size() - 1).memberId()) : null);
        });
    }

    /** The member's attributes. Fails with MEMBER_NOT_FOUND (unknown or erased). */
    public Uni<MemberAttributes> memberAttributes(UUID memberId) {
        return repository.memberAttributes(memberId).map(found -> found
                .orElseThrow(() -> new ProblemException(ErrorCode.MEMBER_NOT_FOUND, "No member " + memberId)));
    }

    /** Whether the segment admits the member now. Fails with SEGMENT_NOT_FOUND. */
    public Uni<Boolean> admits(UUID segmentId, UUID memberId) {
        return find(segmentId).flatMap(segment -> repository.admits(SegmentRule.parse(segment.rule()), memberId));
    }

    /** Fails with SEGMENT_NOT_FOUND: for a caller that names a segment, before it saves the name. */
    public Uni<Void> requireExists(UUID segmentId) {
        return find(segmentId).replaceWithVoid();
    }

    /**
     * Ids of up to {@code limit} members the segment admits now after {@code after} (null: from
     * the start), in id order, read on {@code client}. Fails with SEGMENT_NOT_FOUND.
     */
    public Uni<List<UUID>> memberIdsAfter(SqlClient client, UUID segmentId, UUID after, int limit) {
        return find(segmentId).flatMap(segment -> repository.memberIds(client, SegmentRule.parse(segment.rule()),
                after == null ? SegmentRepository.FIRST_MEMBER_BOUND : after, limit));
    }

    /** Deletes the member's measured attributes, on {@code transaction}, the caller's own (an erasure). */
    public Uni<Void> forgetMember(SqlClient transaction, UUID memberId) {
        return repository.forgetMember(transaction, memberId);
    }

    /** Starts a run now, measured on this instance in the background. Fails with SEGMENT_ATTRIBUTE_RUN_IN_PROGRESS. */
    public Uni<AttributeRun> requestRun(Caller actor) {
        return runs.request(actor);
    }

    /** Fails with SEGMENT_ATTRIBUTE_RUN_NOT_FOUND. */
    public Uni<AttributeRun> run(UUID runId) {
        return repository.run(runId).map(found -> found.orElseThrow(() -> new ProblemException(ErrorCode.SEGMENT_ATTRIBUTE_RUN_NOT_FOUND,
                "No segment attribute run " + runId)));
    }

    /** Newest first. */
    public Uni<AttributeRunPage> runs(String cursor, String limit) {
        return runs.page(cursor, limit);
    }

    private Uni<Void> audited(SqlClient transaction, Caller actor, AuditAction action, Segment segment) {
        return audit.record(transaction, actor.auditActor(), action, segment.segmentId().toString(),
                Map.of("name", segment.name(), "rule", segment.rule(), "version", segment.version()));
    }

    /** Two changes racing to one name: the unique index refuses the second. */
    private static boolean nameConflict(Throwable failure) {
        return failure instanceof io.vertx.pgclient.PgException pg && "23505".equals(pg.getSqlState());
    }

    private static ProblemException nameTaken(String name) {
        return new ProblemException(ErrorCode.SEGMENT_NAME_TAKEN, "Another segment is named '" + name + "'");
    }

    private static ProblemException notFound(UUID segmentId) {
        return new ProblemException(ErrorCode.SEGMENT_NOT_FOUND, "No segment " + segmentId);
    }
}
