package io.pointsledger.segments;

import io.pointsledger.ledger.MemberSegments;
import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.sqlclient.SqlClient;
import jakarta.enterprise.context.ApplicationScoped;
import java.util.HashMap;
import java.util.HashSet;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Which segments admit which members, for the write path and the campaigns that name segments. The
 * rules are kept parsed for {@code points-ledger.segments.rule-cache-time}, so that a batch of
 * earns pays one statement, not two; a rule changed takes effect on campaigns within that time.
 */
@ApplicationScoped
public class SegmentMemberships implements MemberSegments {

    private final SegmentRepository repository;
    private final SegmentsConfig config;
    private final Map<UUID, CachedRule> rules = new ConcurrentHashMap<>();

    SegmentMemberships(SegmentRepository repository, SegmentsConfig config) {
        this.repository = repository;
        this.config = config;
    }

    /** A rule as read, and when (System.nanoTime()). */
    private record CachedRule(SegmentRule rule, long readAt) {
    }

    @Override
    public Uni<Map<UUID, Set<UUID>>> admitted(SqlClient client, Set<UUID> segmentIds, Set<UUID> memberIds) {
        if (segmentIds.isEmpty() || memberIds.isEmpty()) {
            return Uni.createFrom().item(Map.of());
        }
        return rulesOf(client, segmentIds).flatMap(known -> known.isEmpty() ? Uni.createFrom().item(Map.<UUID, Set<UUID>>of())
                : repository.admitted(client, known, memberIds));
    }

    /** The parsed rules of those segments that exist: from the cache while fresh, else read on {@code client}. */
    private Uni<Map<UUID, SegmentRule>> rulesOf(SqlClient client, Set<UUID> segmentIds) {
        long now = System.nanoTime();
        long freshFor = config.ruleCacheTime().toNanos();
        Map<UUID, SegmentRule> fresh = new HashMap<>();
        Set<UUID> missing = new HashSet<>();
        for (UUID segmentId : segmentIds) {
            CachedRule cached = rules.get(segmentId);
            if (cached != null && now - cached.readAt() < freshFor) {
                fresh.put(segmentId, cached.rule());
            } else {
                missing.add(segmentId);
            }
        }
        if (missing.isEmpty()) {
            return Uni.createFrom().item(fresh);
        }
        return repository.rules(client, missing).map(read -> {
            read.forEach((segmentId, text) -> {
                SegmentRule rule = SegmentRule.parse(text);
                rules.put(segmentId, new CachedRule(rule, now));
                fresh.put(segmentId, rule);
            });
            return fresh;
        });
    }
}
