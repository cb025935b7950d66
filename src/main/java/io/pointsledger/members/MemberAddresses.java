package io.pointsledger.members;

import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.mutiny.sqlclient.Row;
import io.vertx.mutiny.sqlclient.Tuple;
import jakarta.enterprise.context.ApplicationScoped;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.jboss.logging.Logger;

/**
 * Where members are reached: their email and phone, decrypted for the one message about to go
 * out, and the language they read. The only way out of this package for a contact address.
 */
@ApplicationScoped
public class MemberAddresses {

    private static final Logger LOG = Logger.getLogger(MemberAddresses.class);

    private static final String ADDRESSES = """
            SELECT member_id, email_encrypted, phone_encrypted, language, erased_at IS NOT NULL AS erased
              FROM members WHERE member_id = ANY($1)""";

    /** A member's addresses; email or phone null when the member gave none (or it cannot be read). */
    public record Address(UUID memberId, String email, String phone, String language, boolean erased) {
    }

    private final Pool pool;
    private final PersonalDataCipher cipher;

    MemberAddresses(Pool pool, PersonalDataCipher cipher) {
        this.pool = pool;
        this.cipher = cipher;
    }

    /** The addresses of those of {@code memberIds} who exist, by member id. */
    public Uni<Map<UUID, Address>> of(List<UUID> memberIds) {
        return pool.preparedQuery(ADDRESSES).execute(Tuple.of(memberIds.toArray(UUID[]::new))).map(rows -> {
            Map<UUID, Address> addresses = new HashMap<>();
            for (Row row : rows) {
                UUID memberId = row.getUUID("member_id");
                addresses.put(memberId, new Address(memberId, readable(row.getString("email_encrypted"), memberId, MemberService.EMAIL),
                        readable(row.getString("phone_encrypted"), memberId, MemberService.PHONE), row.getString("language"),
                        row.getBoolean("erased")));
            }
            return addresses;
        });
    }

    /** Null for an address that cannot be decrypted (its key retired): that member is not reached on it, the others are. */
    private String readable(String stored, UUID memberId, String field) {
        try {
            return cipher.decrypt(stored, memberId, field);
        } catch (RuntimeException unreadable) {
            LOG.warnf("The %s of member %s cannot be read: %s", field, memberId, unreadable.toString());
            return null;
        }
    }
}
