package io.pointsledger.members;

import java.util.List;

/** Members matching an exact look-up. */
public record MemberPage(List<Member> items) {
}
