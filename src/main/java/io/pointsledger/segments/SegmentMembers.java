package io.pointsledger.segments;

import java.util.List;
import java.util.UUID;

/**
 * The members a segment admits, as SQL a caller runs in its own transaction (a report narrowed to
 * a segment): the rule is evaluated in the caller's snapshot, and no list of ids is held in
 * memory, however many members the segment admits.
 */
public final class SegmentMembers {

    private final Segment segment;
    private final SegmentRule rule;

    SegmentMembers(Segment segment, SegmentRule rule) {
        this.segment = segment;
        this.rule = rule;
    }

    public UUID segmentId() {
        return segment.segmentId();
    }

    /** The segment's version: a rule changed since an answer was computed makes that answer another segment's. */
    public long version() {
        return segment.version();
    }

    /** A query of the ids of the members (not erased) the rule admits now, its parameters numbered from $1. */
    public Query query() {
        SegmentRule.Compiled compiled = rule.compile(1);
        return new Query("SELECT m.member_id" + SegmentRepository.MEMBERS + " AND " + compiled.sql(), compiled.values());
    }

    /** SQL returning one column of member ids, and the values of its parameters in order. */
    public record Query(String sql, List<Object> values) {
    }
}
