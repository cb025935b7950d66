package io.pointsledger.members;

import io.pointsledger.audit.AuditAction;
import io.pointsledger.audit.AuditLog;
import io.pointsledger.ledger.Balance;
import io.pointsledger.ledger.LedgerService;
import io.pointsledger.partners.Caller;
import io.pointsledger.platform.ErrorCode;
import io.pointsledger.platform.ProblemException;
import io.pointsledger.recommendations.RecommendationService;
import io.pointsledger.tiers.Tier;
import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.sqlclient.Pool;
import jakarta.enterprise.context.ApplicationScoped;
import java.time.LocalDate;
import java.time.Month;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.jboss.logging.Logger;

/** Enrollment, look-up and erasure of members. Personal data is encrypted here, before any SQL. */
@ApplicationScoped
public class MemberService {

    private static final Logger LOG = Logger.getLogger(MemberService.class);

    /** Members one exact look-up may return (a shared family phone, say). */
    static final int LOOKUP_RESULTS_MAX = 10;

    static final String NAME = "name";
    static final String EMAIL = "email";
    static final String PHONE = "phone";
    static final String BIRTH_DATE = "birthDate";

    private final MemberRepository repository;
    private final LedgerService ledger;
    private final PersonalDataCipher cipher;
    private final AuditLog audit;
    private final RecommendationService recommendations;
    private final Pool pool;

    MemberService(MemberRepository repository, LedgerService ledger, PersonalDataCipher cipher, AuditLog audit,
            RecommendationService recommendations, Pool pool) {
        this.repository = repository;
        this.ledger = ledger;
        this.cipher = cipher;
        this.audit = audit;
        this.recommendations = recommendations;
        this.pool = pool;
    }

    /**
     * Enrolls a member with an empty BASIC account; the answer shows personal data only to a
     * caller with the pii scope. Fails with MEMBER_ALREADY_EXISTS.
     */
    public Uni<Member> enroll(Caller caller, EnrollMemberRequest request) {
        UUID memberId = UUID.randomUUID();
        MemberRepository.StoredMember stored = new MemberRepository.StoredMember(memberId, request.externalId(),
                null, cipher.encrypt(request.name(), memberId, NAME), cipher.encrypt(request.email(), memberId, EMAIL),
                cipher.encrypt(request.phone(), memberId, PHONE),
                cipher.encrypt(request.birthDate() == null ? null : request.birthDate().toString(), memberId, BIRTH_DATE),
                request.channel(), null, null);
        return repository.enroll(stored, cipher.blindIndex(request.email(), EMAIL), cipher.blindIndex(request.phone(), PHONE))
                .onItem().ifNull().failWith(() -> new ProblemException(ErrorCode.MEMBER_ALREADY_EXISTS,
                        "externalId " + request.externalId() + " belongs to another member"))
                .map(row -> withBalance(decrypt(row).visibleTo(caller), Balance.of(memberId, Tier.BASIC, 0, 0, 0, List.of())));
    }

    /**
     * One batch of a scan over the members with a birth date, in member order after
     * {@code afterMemberId}: those born in {@code month}, and where the next batch starts (null
     * once the scan is done). Birth dates are encrypted, so each is decrypted here, in memory.
     */
    public Uni<BirthdayBatch> bornIn(Month month, UUID afterMemberId, int batchSize) {
        return repository.withBirthDates(afterMemberId, batchSize).map(rows -> {
            List<UUID> born = rows.stream().filter(row -> month.equals(birthMonth(row))).map(MemberRepository.EncryptedBirthDate::memberId)
                    .toList();
            UUID next = rows.size() < batchSize ? null : rows.get(rows.size() - 1).memberId();
            return new BirthdayBatch(born, next);
        });
    }

    /** Members born in the month asked for, and where the scan goes on from (null: done). */
    public record BirthdayBatch(List<UUID> members, UUID next) {
    }

    /** Null when unknown: a birth date that cannot be read (a retired key) leaves that member out, not the scan. */
    private Month birthMonth(MemberRepository.EncryptedBirthDate row) {
        try {
            LocalDate birthDate = MemberRepository.StoredMember.parseDate(cipher.decrypt(row.birthDateEncrypted(), row.memberId(),
                    BIRTH_DATE));
            return birthDate == null ? null : birthDate.getMonth();
        } catch (RuntimeException e) {
            LOG.warnf("The birth date of member %s cannot be read: %s", row.memberId(), e.toString());
            return null;
        }
    }

    /**
     * The member with their current balance; personal data only for a caller with the pii scope.
     * Fails with MEMBER_NOT_FOUND.
     */
    public Uni<Member> find(Caller caller, UUID memberId) {
        return repository.find(memberId)
                .onItem().ifNull().failWith(() -> LedgerService.memberNotFound(memberId))
                .flatMap(row -> ledger.balance(memberId).map(balance -> withBalance(decrypt(row).visibleTo(caller), balance)));
    }

    /**
     * Members whose email or phone is exactly the one given; exactly one of the two must be set.
     * Every look-up is audited with the field searched and the members found, never the value
     * searched for. Fails with VALIDATION_FAILED.
     */
    public Uni<List<Member>> lookUp(Caller actor, MemberLookupRequest request) {
        String email = request.email();
        String phone = request.phone();
        if ((email == null) == (phone == null) || (email != null && email.isBlank()) || (phone != null && phone.isBlank())) {
            throw ProblemException.invalid("body", "give exactly one of email or phone");
        }
        String field = email != null ? EMAIL : PHONE;
        Uni<List<MemberRepository.StoredMember>> rows = email != null
                ? repository.findByEmailIndex(cipher.blindIndex(email, EMAIL), LOOKUP_RESULTS_MAX)
                : repository.findByPhoneIndex(cipher.blindIndex(phone, PHONE), LOOKUP_RESULTS_MAX);
        return rows.call(found -> audit.record(pool, actor.auditActor(), AuditAction.MEMBERS_LOOKED_UP, field,
                        Map.<String, Object>of("memberIds", found.stream().map(row -> row.memberId().toString()).toList())))
                .flatMap(found -> found.isEmpty()
                        ? Uni.createFrom().item(List.<Member>of())
                        : Uni.join().all(found.stream().map(row -> ledger.balance(row.memberId())
                                .map(balance -> withBalance(decrypt(row).visibleTo(actor), balance))).toList()).andFailFast());
    }

    /**
     * Erases the member's name, personal data, look-up indexes and external id, and their purchase
     * history in recommendations, in one transaction; the account and every transfer stay. Erasing
     * twice is harmless. Fails with MEMBER_NOT_FOUND.
     */
    public Uni<Void> erase(Caller actor, UUID memberId) {
        return pool.withTransaction(transaction -> repository.erase(transaction, memberId)
                .flatMap(erased -> erased
                        ? recommendations.forgetMember(transaction, memberId).call(() -> audit.record(transaction,
                                actor.auditActor(), AuditAction.MEMBER_ERASED, memberId.toString(), Map.of()))
                        : Uni.createFrom().failure(LedgerService.memberNotFound(memberId))));
    }

    /** A name enrolled before names were encrypted is still plaintext in the row, until erased. */
    private MemberProfile decrypt(MemberRepository.StoredMember row) {
        String name = row.nameEncrypted() != null ? cipher.decrypt(row.nameEncrypted(), row.memberId(), NAME) : row.name();
        return new MemberProfile(row.memberId(), row.externalId(), name,
                cipher.decrypt(row.emailEncrypted(), row.memberId(), EMAIL),
                cipher.decrypt(row.phoneEncrypted(), row.memberId(), PHONE),
                MemberRepository.StoredMember.parseDate(cipher.decrypt(row.birthDateEncrypted(), row.memberId(), BIRTH_DATE)),
                row.channel(), row.enrolledAt(), row.erasedAt());
    }

    private static Member withBalance(MemberProfile profile, Balance balance) {
        return new Member(profile.memberId(), profile.externalId(), profile.name(), profile.email(), profile.phone(),
                profile.birthDate(), profile.channel(), profile.enrolledAt(), profile.erasedAt(), balance.tier(),
                balance.available(), balance.posted(), balance.held());
    }
}
