package io.pointsledger.segments;

/** A segment's members were counted for reports: fired once the snapshot is committed and its statistics updated (or not, which is logged). */
public record SegmentCounted(SegmentSnapshot snapshot) {
}
