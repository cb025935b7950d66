package io.pointsledger.communication;

import io.pointsledger.audit.AuditAction;
import io.pointsledger.audit.AuditActor;
import io.pointsledger.audit.AuditLog;
import io.pointsledger.members.MemberService;
import io.pointsledger.partners.Caller;
import io.pointsledger.platform.ErrorCode;
import io.pointsledger.platform.ProblemException;
import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.sqlclient.Pool;
import jakarta.enterprise.context.ApplicationScoped;
import java.time.Clock;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;

/**
 * Consent per channel, the preferred channel and quiet hours, as members state them, and the
 * unsubscribe links that withdraw a consent in one click. Every change of consent is audited.
 */
@ApplicationScoped
public class ContactPreferencesService {

    /** Who the audit log names for a click on an unsubscribe link: the member, through the link. */
    private static final AuditActor UNSUBSCRIBE_LINK = new AuditActor("unsubscribe-link", null);

    private final ContactPreferencesRepository repository;
    private final MemberService members;
    private final UnsubscribeLinks links;
    private final AuditLog audit;
    private final Pool pool;
    private final Clock clock;

    ContactPreferencesService(ContactPreferencesRepository repository, MemberService members, UnsubscribeLinks links,
            AuditLog audit, Pool pool, Clock clock) {
        this.repository = repository;
        this.members = members;
        this.links = links;
        this.audit = audit;
        this.pool = pool;
        this.clock = clock;
    }

    /** How the member may be contacted. Fails with MEMBER_NOT_FOUND. */
    public Uni<ContactPreferences> preferences(UUID memberId) {
        return members.isErased(memberId).flatMap(erased -> repository.find(memberId))
                .map(stored -> view(memberId, stored));
    }

    /**
     * Replaces how the member may be contacted, as read at {@code expectedVersion} (null: any), in
     * one transaction with the audit entry, which names the consents changed and the source. Fails
     * with MEMBER_NOT_FOUND, MEMBER_ERASED, CONTACT_PREFERENCES_VERSION_MISMATCH or VALIDATION_FAILED
     * (a preferred channel not consented to, a source only links may claim).
     */
    public Uni<ContactPreferences> change(Caller actor, UUID memberId, Long expectedVersion, ContactPreferencesRequest request) {
        request.refuseContradictions();
        OffsetDateTime now = OffsetDateTime.now(clock).withOffsetSameInstant(ZoneOffset.UTC);
        return members.isErased(memberId).flatMap(erased -> {
            if (erased) {
                return Uni.createFrom().failure(new ProblemException(ErrorCode.MEMBER_ERASED,
                        "Member " + memberId + " was erased: there is no one to contact"));
            }
            return pool.withTransaction(transaction -> repository.change(transaction, memberId, request, expectedVersion, now)
                    .onItem().ifNull().failWith(() -> new ProblemException(ErrorCode.CONTACT_PREFERENCES_VERSION_MISMATCH,
                            "The contact preferences of member " + memberId + " changed since the version named in If-Match "
                                    + "(an unsubscribe link, another app): read them again and state them from there"))
                    .call(changed -> changed.isEmpty() ? Uni.createFrom().voidItem()
                            : audit.record(transaction, actor.auditActor(), AuditAction.CONTACT_PREFERENCES_CHANGED,
                                    memberId.toString(), Map.of("consents", names(changed), "source", request.source().name())))
                    .flatMap(changed -> repository.find(transaction, memberId)));
        }).map(stored -> view(memberId, stored));
    }

    /**
     * One click on an unsubscribe link: the consent of its channel withdrawn, audited. Fails with
     * UNSUBSCRIBE_LINK_INVALID, or UNSUBSCRIBE_LINK_USED for a link clicked before.
     */
    public Uni<Unsubscribed> unsubscribe(String token) {
        UnsubscribeLinks.Link link = links.read(token);
        OffsetDateTime now = OffsetDateTime.now(clock).withOffsetSameInstant(ZoneOffset.UTC);
        return pool.withTransaction(transaction -> repository.unsubscribe(transaction, link, now)
                .flatMap(result -> {
                    if (!result.firstUse()) {
                        return Uni.createFrom().failure(new ProblemException(ErrorCode.UNSUBSCRIBE_LINK_USED,
                                "This link was used before; the member's consent to " + link.channel()
                                        + " was withdrawn then"));
                    }
                    return audit.record(transaction, UNSUBSCRIBE_LINK, AuditAction.CONTACT_UNSUBSCRIBED,
                                    link.memberId().toString(), Map.of("channel", link.channel().name(),
                                            "tokenId", link.tokenId().toString(), "withdrawn", result.withdrawn()))
                            .replaceWith(new Unsubscribed(link.channel(), now));
                }));
    }

    private static Map<String, Boolean> names(Map<ContactChannel, Boolean> changed) {
        Map<String, Boolean> named = new LinkedHashMap<>();
        changed.forEach((channel, granted) -> named.put(channel.name(), granted));
        return named;
    }

    private static ContactPreferences view(UUID memberId, ContactPreferencesRepository.Stored stored) {
        List<ChannelConsent> consents = new ArrayList<>();
        for (ContactChannel channel : ContactChannel.values()) {
            consents.add(stored.consents().getOrDefault(channel, new ChannelConsent(channel, false, null, null)));
        }
        var row = stored.preferences();
        return new ContactPreferences(memberId, List.copyOf(consents),
                row == null || row.getString("preferred_channel") == null ? null
                        : ContactChannel.valueOf(row.getString("preferred_channel")),
                ContactPreferencesRepository.quietHours(row), row == null ? null : row.getOffsetDateTime("updated_at"),
                row == null ? 0 : row.getLong("version"));
    }
}
