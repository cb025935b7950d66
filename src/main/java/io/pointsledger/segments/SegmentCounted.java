package io.pointsledger.segments;

/** A segment's members were counted for reports: fired once the snapshot and its statistics are committed. */
public record SegmentCounted(SegmentSnapshot snapshot) {
}
