package io.pointsledger.communication;

import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.mutiny.sqlclient.Row;
import io.vertx.mutiny.sqlclient.SqlClient;
import io.vertx.mutiny.sqlclient.Tuple;
import jakarta.enterprise.context.ApplicationScoped;
import java.time.LocalTime;
import java.time.OffsetDateTime;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;

/** All SQL about how members may be contacted. */
@ApplicationScoped
public class ContactPreferencesRepository {

    private static final String PREFERENCES = """
            SELECT preferred_channel, quiet_from, quiet_until, updated_at, version FROM member_contact_preferences
             WHERE member_id = $1""";

    private static final String CONSENTS = """
            SELECT channel, granted, changed_at, source FROM member_contact_consents WHERE member_id = $1""";

    /**
     * The preferences replaced, only at the version they were read at ({@code $9}; null: any; 0: none
     * stated yet), and each consent written only where it changes, keeping the time and source of
     * its last real change. No row: the version no longer holds, and nothing was written. Else one
     * row per consent changed (or one without a channel), each with the new version.
     */
    private static final String CHANGE = """
            WITH preferences AS (
                INSERT INTO member_contact_preferences AS p (member_id, preferred_channel, quiet_from, quiet_until, updated_at)
                SELECT $1, $2, $3, $4, $5
                 WHERE $9::bigint IS NULL OR $9 = 0
                    OR EXISTS (SELECT 1 FROM member_contact_preferences WHERE member_id = $1)
                ON CONFLICT (member_id) DO UPDATE
                   SET preferred_channel = excluded.preferred_channel, quiet_from = excluded.quiet_from,
                       quiet_until = excluded.quiet_until, updated_at = excluded.updated_at, version = p.version + 1
                 WHERE $9::bigint IS NULL OR p.version = $9
                RETURNING p.version
            ), consents AS (
                INSERT INTO member_contact_consents AS c (member_id, channel, granted, changed_at, source)
                SELECT $1, u.channel, u.granted, $5, $6 FROM unnest($7::text[], $8::boolean[]) AS u (channel, granted)
                 WHERE EXISTS (SELECT 1 FROM preferences)
                    ON CONFLICT (member_id, channel) DO UPDATE
                       SET granted = excluded.granted, changed_at = excluded.changed_at, source = excluded.source
                     WHERE c.granted IS DISTINCT FROM excluded.granted
                RETURNING channel, granted
            )
            SELECT p.version, c.channel, c.granted FROM preferences p LEFT JOIN consents c ON true""";

    /**
     * One use of an unsubscribe link: its token recorded (nothing else happens for a token used
     * before), the channel's consent withdrawn, and the channel no longer preferred.
     */
    private static final String UNSUBSCRIBE = """
            WITH used AS (
                INSERT INTO unsubscribe_link_uses (member_id, token_id, channel, used_at) VALUES ($1, $2, $3, $4)
                ON CONFLICT (member_id, token_id) DO NOTHING
                RETURNING member_id
            ), withdrawn AS (
                INSERT INTO member_contact_consents AS c (member_id, channel, granted, changed_at, source)
                SELECT member_id, $3, false, $4, 'UNSUBSCRIBE_LINK' FROM used
                    ON CONFLICT (member_id, channel) DO UPDATE
                       SET granted = false, changed_at = excluded.changed_at, source = excluded.source
                     WHERE c.granted
                -- xmax is 0 for a row inserted: a channel the member never consented to, nothing withdrawn.
                RETURNING xmax <> 0 AS was_granted
            ), unpreferred AS (
                -- The version moves even for a member who never stated preferences: a statement
                -- read before the click must not grant the consent again.
                INSERT INTO member_contact_preferences AS p (member_id, updated_at)
                SELECT member_id, $4 FROM used
                    ON CONFLICT (member_id) DO UPDATE
                       SET preferred_channel = CASE WHEN p.preferred_channel = $3 THEN NULL ELSE p.preferred_channel END,
                           updated_at = $4, version = p.version + 1
            )
            SELECT (SELECT count(*) FROM used) AS used, (SELECT count(*) FROM withdrawn WHERE was_granted) AS withdrawn""";

    private final Pool pool;

    ContactPreferencesRepository(Pool pool) {
        this.pool = pool;
    }

    /** As stored: the preferences row (null when none) and the consents given or withdrawn. */
    record Stored(Row preferences, Map<ContactChannel, ChannelConsent> consents) {
    }

    Uni<Stored> find(SqlClient client, UUID memberId) {
        Uni<Row> preferences = client.preparedQuery(PREFERENCES).execute(Tuple.of(memberId))
                .map(rows -> rows.size() == 0 ? null : rows.iterator().next());
        Uni<Map<ContactChannel, ChannelConsent>> consents = client.preparedQuery(CONSENTS).execute(Tuple.of(memberId))
                .map(rows -> {
                    Map<ContactChannel, ChannelConsent> found = new EnumMap<>(ContactChannel.class);
                    rows.forEach(row -> {
                        ContactChannel channel = ContactChannel.valueOf(row.getString("channel"));
                        found.put(channel, new ChannelConsent(channel, row.getBoolean("granted"),
                                row.getOffsetDateTime("changed_at"), ConsentSource.valueOf(row.getString("source"))));
                    });
                    return found;
                });
        return preferences.flatMap(row -> consents.map(found -> new Stored(row, found)));
    }

    Uni<Stored> find(UUID memberId) {
        return find(pool, memberId);
    }

    /** What a statement changed: the consents, by channel; null when the version named no longer holds. */
    Uni<Map<ContactChannel, Boolean>> change(SqlClient transaction, UUID memberId, ContactPreferencesRequest request,
            Long expectedVersion, OffsetDateTime now) {
        QuietHours quiet = request.quietHours();
        List<String> channels = new ArrayList<>();
        List<Boolean> granted = new ArrayList<>();
        for (ContactChannel channel : ContactChannel.values()) {
            channels.add(channel.name());
            granted.add(request.consents().grants(channel));
        }
        Tuple arguments = Tuple.tuple()
                .addUUID(memberId)
                .addString(request.preferredChannel() == null ? null : request.preferredChannel().name())
                .addLocalTime(quiet == null ? null : quiet.from())
                .addLocalTime(quiet == null ? null : quiet.until())
                .addOffsetDateTime(now)
                .addString(request.source().name())
                .addArrayOfString(channels.toArray(String[]::new))
                .addArrayOfBoolean(granted.toArray(Boolean[]::new))
                .addLong(expectedVersion);
        return transaction.preparedQuery(CHANGE).execute(arguments).map(rows -> {
            if (rows.size() == 0) {
                return null;
            }
            Map<ContactChannel, Boolean> changed = new EnumMap<>(ContactChannel.class);
            rows.forEach(row -> {
                if (row.getString("channel") != null) {
                    changed.put(ContactChannel.valueOf(row.getString("channel")), row.getBoolean("granted"));
                }
            });
            return changed;
        });
    }

    /** What one use of a link did: whether it was its first use, and whether a consent was withdrawn. */
    record Unsubscribed(boolean firstUse, boolean withdrawn) {
    }

    Uni<Unsubscribed> unsubscribe(SqlClient transaction, UnsubscribeLinks.Link link, OffsetDateTime now) {
        Tuple arguments = Tuple.of(link.memberId(), link.tokenId(), link.channel().name(), now);
        return transaction.preparedQuery(UNSUBSCRIBE).execute(arguments).map(rows -> {
            Row row = rows.iterator().next();
            return new Unsubscribed(row.getLong("used") == 1, row.getLong("withdrawn") == 1);
        });
    }

    static QuietHours quietHours(Row preferences) {
        LocalTime from = preferences == null ? null : preferences.getLocalTime("quiet_from");
        LocalTime until = preferences == null ? null : preferences.getLocalTime("quiet_until");
        return from == null || until == null ? null : new QuietHours(from, until);
    }
}
