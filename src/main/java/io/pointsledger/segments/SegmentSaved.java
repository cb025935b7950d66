package io.pointsledger.segments;

/** A segment was created, or its rule changed: fired once the change is committed. */
public record SegmentSaved(Segment segment) {
}
