package io.pointsledger.segments;

/** A segment was created or changed (a new version, whose rule may differ): fired once the change is committed. */
public record SegmentSaved(Segment segment) {
}
