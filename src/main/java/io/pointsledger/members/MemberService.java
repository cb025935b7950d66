package io.pointsledger.members;

import io.pointsledger.audit.AuditAction;
import io.pointsledger.audit.AuditLog;
import io.pointsledger.ledger.Balance;
import io.pointsledger.churn.ChurnService;
import io.pointsledger.feedback.SurveyService;
import io.pointsledger.segments.SegmentService;
import io.pointsledger.ledger.LedgerService;
import io.pointsledger.partners.Caller;
import io.pointsledger.platform.ErrorCode;
import io.pointsledger.platform.ProblemException;
import io.pointsledger.purchases.PurchaseHistory;
import io.pointsledger.recommendations.RecommendationService;
import io.pointsledger.tiers.Tier;
import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.mutiny.sqlclient.SqlClient;
import jakarta.enterprise.context.ApplicationScoped;
import java.time.LocalDate;
import java.time.Month;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;
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
    static final String REGION = "region";
    static final String LANGUAGE = "language";
    static final String GENDER = "gender";
    /** The blind index of an erased member's external id: an import does not enroll them again. */
    static final String EXTERNAL_ID = "externalId";

    private final MemberRepository repository;
    private final LedgerService ledger;
    private final PersonalDataCipher cipher;
    private final AuditLog audit;
    private final RecommendationService recommendations;
    private final PurchaseHistory purchaseHistory;
    private final ChurnService churn;
    private final SegmentService segments;
    private final SurveyService surveys;
    private final Pool pool;

    MemberService(MemberRepository repository, LedgerService ledger, PersonalDataCipher cipher, AuditLog audit,
            RecommendationService recommendations, PurchaseHistory purchaseHistory, ChurnService churn, SegmentService segments,
            SurveyService surveys, Pool pool) {
        this.repository = repository;
        this.ledger = ledger;
        this.cipher = cipher;
        this.audit = audit;
        this.recommendations = recommendations;
        this.purchaseHistory = purchaseHistory;
        this.churn = churn;
        this.segments = segments;
        this.surveys = surveys;
        this.pool = pool;
    }

    /**
     * Enrolls a member with an empty BASIC account; the answer shows personal data only to a
     * caller with the pii scope. Fails with MEMBER_ALREADY_EXISTS.
     */
    public Uni<Member> enroll(Caller caller, EnrollMemberRequest request) {
        if (request.channel() == EnrollmentChannel.BULK) {
            throw ProblemException.invalid("channel", "BULK is given by imports only: enroll as ONLINE or OFFLINE");
        }
        UUID memberId = UUID.randomUUID();
        MemberRepository.StoredMember stored = new MemberRepository.StoredMember(memberId, request.externalId(),
                null, cipher.encrypt(request.name(), memberId, NAME), cipher.encrypt(request.email(), memberId, EMAIL),
                cipher.encrypt(request.phone(), memberId, PHONE),
                cipher.encrypt(request.birthDate() == null ? null : request.birthDate().toString(), memberId, BIRTH_DATE),
                request.region(), request.language(),
                cipher.encrypt(request.gender() == null ? null : request.gender().name(), memberId, GENDER),
                request.channel(), null, null, 1);
        return repository.enroll(stored, cipher.blindIndex(request.email(), EMAIL), cipher.blindIndex(request.phone(), PHONE))
                .onItem().ifNull().failWith(() -> new ProblemException(ErrorCode.MEMBER_ALREADY_EXISTS,
                        "externalId " + request.externalId() + " belongs to another member"))
                .map(row -> withBalance(decrypt(row).visibleTo(caller), Balance.of(memberId, Tier.BASIC, 0, 0, 0, List.of())));
    }

    /**
     * Encrypts and indexes rows of an import, as {@link #enroll} does one member: to be called off
     * the event loop. Each row gets its member id here.
     */
    public ImportedMembers prepareImport(List<ImportedMembers.Row> rows) {
        ImportedMembers prepared = new ImportedMembers(rows);
        for (int index = 0; index < rows.size(); index++) {
            EnrollMemberRequest member = rows.get(index).member();
            UUID memberId = UUID.randomUUID();
            prepared.memberIds[index] = memberId;
            prepared.nameEncrypted[index] = cipher.encrypt(member.name(), memberId, NAME);
            prepared.emailEncrypted[index] = cipher.encrypt(member.email(), memberId, EMAIL);
            prepared.phoneEncrypted[index] = cipher.encrypt(member.phone(), memberId, PHONE);
            prepared.birthDateEncrypted[index] = cipher.encrypt(member.birthDate() == null ? null : member.birthDate().toString(),
                    memberId, BIRTH_DATE);
            prepared.genderEncrypted[index] = cipher.encrypt(member.gender() == null ? null : member.gender().name(), memberId, GENDER);
            prepared.emailIndex[index] = cipher.blindIndex(member.email(), EMAIL);
            prepared.phoneIndex[index] = cipher.blindIndex(member.phone(), PHONE);
            prepared.externalIdIndex[index] = cipher.exactIndex(member.externalId(), EXTERNAL_ID);
        }
        return prepared;
    }

    /**
     * Enrolls prepared rows of import {@code jobId} as members enrolled through {@code channel}, in
     * {@code transaction} (the import's progress is written in the same one), each with its
     * account and MEMBER_ENROLLED event. A row whose external id is taken is left out: by a member
     * enrolled before the import, it is EXISTING; by an earlier row of the import, DUPLICATE_IN_FILE;
     * an external id of an erased member is ERASED, never enrolled again by an import.
     */
    public Uni<List<ImportedMembers.Result>> enrollImported(SqlClient transaction, UUID jobId, EnrollmentChannel channel,
            ImportedMembers prepared) {
        if (prepared.size() == 0) {
            return Uni.createFrom().item(List.of());
        }
        return repository.enrollImported(transaction, jobId, channel, prepared);
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

    private Month birthMonth(MemberRepository.EncryptedBirthDate row) {
        LocalDate birthDate = birthDate(row.memberId(), row.birthDateEncrypted());
        return birthDate == null ? null : birthDate.getMonth();
    }

    /**
     * The member's birth date from its stored, encrypted form, for a scan over many members; null
     * when there is none or it cannot be read (a retired key), which leaves that member out, not the scan.
     */
    public LocalDate birthDate(UUID memberId, String birthDateEncrypted) {
        if (birthDateEncrypted == null) {
            return null;
        }
        try {
            return MemberRepository.StoredMember.parseDate(cipher.decrypt(birthDateEncrypted, memberId, BIRTH_DATE));
        } catch (RuntimeException e) {
            LOG.warnf("The birth date of member %s cannot be read: %s", memberId, e.toString());
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

    /** The members holding these external ids, by external id; an erased member holds none. */
    public Uni<java.util.Map<String, UUID>> membersByExternalId(java.util.Collection<String> externalIds) {
        return externalIds.isEmpty() ? Uni.createFrom().item(java.util.Map.of()) : repository.byExternalId(externalIds);
    }

    /**
     * Those of {@code memberIds} not erased, each kept so until {@code transaction} ends: an erasure
     * waits for it, so that nothing written about them in it outlives their erasure.
     */
    public Uni<java.util.Set<UUID>> holdAgainstErasure(SqlClient transaction, java.util.Collection<UUID> memberIds) {
        return memberIds.isEmpty() ? Uni.createFrom().item(java.util.Set.of()) : repository.holdAgainstErasure(transaction, memberIds);
    }

    /**
     * Whether the member's personal data was erased. Fails with MEMBER_NOT_FOUND: what other
     * capabilities ask before keeping anything about a member.
     */
    public Uni<Boolean> isErased(UUID memberId) {
        return repository.find(memberId)
                .onItem().ifNull().failWith(() -> LedgerService.memberNotFound(memberId))
                .map(row -> row.erasedAt() != null);
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
     * Erases the member's name, personal data, look-up indexes and external id, their purchase
     * history in recommendations, their purchases from before the program and their stored churn
     * score, segment attributes and survey answers (an erased member is never scored or measured
     * again; free text may say who they were), in one transaction;
     * the account and every transfer stay. Erasing twice is harmless. Fails with MEMBER_NOT_FOUND.
     */
    public Uni<Void> erase(Caller actor, UUID memberId) {
        return pool.withTransaction(transaction -> repository.findForUpdate(transaction, memberId)
                .flatMap(row -> row == null ? Uni.createFrom().item(false)
                        : repository.erase(transaction, memberId, cipher.exactIndex(row.externalId(), EXTERNAL_ID)))
                .flatMap(erased -> erased
                        ? recommendations.forgetMember(transaction, memberId)
                                .call(() -> purchaseHistory.forgetMember(transaction, memberId))
                                .call(() -> churn.forgetMember(transaction, memberId))
                                .call(() -> segments.forgetMember(transaction, memberId))
                                .call(() -> surveys.forgetMember(transaction, memberId))
                                .call(() -> audit.record(transaction, actor.auditActor(), AuditAction.MEMBER_ERASED,
                                        memberId.toString(), Map.of()))
                        : Uni.createFrom().failure(LedgerService.memberNotFound(memberId))));
    }

    /**
     * Applies a member's own profile change, made against {@code expectedVersion} (null: any), in
     * one transaction with its audit entry (which names the fields changed, never their values),
     * the member's row locked from the read to the write. The
     * look-up indexes of a changed email or phone are recomputed with them. A patch that changes
     * nothing leaves the version as it is. Fails with MEMBER_NOT_FOUND, MEMBER_ERASED,
     * MEMBER_VERSION_MISMATCH or VALIDATION_FAILED (name removed or blank).
     */
    public Uni<Member> changeProfile(Caller actor, UUID memberId, Long expectedVersion, MemberProfileChanges changes) {
        changes.refuseRemovedName();
        return pool.withTransaction(transaction -> repository.findForUpdate(transaction, memberId)
                .onItem().ifNull().failWith(() -> LedgerService.memberNotFound(memberId))
                .flatMap(row -> {
                    checkChangeable(row, expectedVersion);
                    MemberProfile before = decrypt(row);
                    MemberProfile after = applied(before, changes);
                    List<String> changed = changedFields(before, after);
                    if (changed.isEmpty()) {
                        return Uni.createFrom().item(row);
                    }
                    return repository.updateProfile(transaction, encrypted(row, after, changed), row.version(),
                                    cipher.blindIndex(after.email(), EMAIL), cipher.blindIndex(after.phone(), PHONE))
                            .onItem().ifNull().failWith(() -> versionMismatch(memberId, row.version()))
                            .call(updated -> audit.record(transaction, actor.auditActor(), AuditAction.MEMBER_PROFILE_UPDATED,
                                    memberId.toString(), Map.of("fields", changed, "version", updated.version())));
                }))
                .flatMap(row -> ledger.balance(memberId).map(balance -> withBalance(decrypt(row).visibleTo(actor), balance)));
    }

    private static void checkChangeable(MemberRepository.StoredMember row, Long expectedVersion) {
        if (row.erasedAt() != null) {
            throw new ProblemException(ErrorCode.MEMBER_ERASED, "Member " + row.memberId() + " was erased on "
                    + row.erasedAt() + "; an erased profile is not filled in again");
        }
        if (expectedVersion != null && expectedVersion != row.version()) {
            throw versionMismatch(row.memberId(), row.version());
        }
    }

    private static ProblemException versionMismatch(UUID memberId, long current) {
        return new ProblemException(ErrorCode.MEMBER_VERSION_MISMATCH, "The profile of member " + memberId
                + " changed since the version named in If-Match; read it again (it is at version " + current
                + " or later) and make the change against that");
    }

    /** The profile with the patch applied: a field the patch names takes its value, null included. */
    private static MemberProfile applied(MemberProfile profile, MemberProfileChanges changes) {
        return new MemberProfile(profile.memberId(), profile.externalId(),
                changes.names(NAME) ? changes.name() : profile.name(),
                changes.names(EMAIL) ? changes.email() : profile.email(),
                changes.names(PHONE) ? changes.phone() : profile.phone(),
                changes.names(BIRTH_DATE) ? changes.birthDate() : profile.birthDate(),
                changes.names(REGION) ? changes.region() : profile.region(),
                changes.names(LANGUAGE) ? changes.language() : profile.language(),
                changes.names(GENDER) ? changes.gender() : profile.gender(),
                profile.channel(), profile.enrolledAt(), profile.erasedAt(), profile.version());
    }

    private static List<String> changedFields(MemberProfile before, MemberProfile after) {
        List<String> changed = new ArrayList<>();
        addIfChanged(changed, NAME, before.name(), after.name());
        addIfChanged(changed, EMAIL, before.email(), after.email());
        addIfChanged(changed, PHONE, before.phone(), after.phone());
        addIfChanged(changed, BIRTH_DATE, before.birthDate(), after.birthDate());
        addIfChanged(changed, REGION, before.region(), after.region());
        addIfChanged(changed, LANGUAGE, before.language(), after.language());
        addIfChanged(changed, GENDER, before.gender(), after.gender());
        return changed;
    }

    private static void addIfChanged(List<String> changed, String field, Object before, Object after) {
        if (!Objects.equals(before, after)) {
            changed.add(field);
        }
    }

    /** The row to store: fields changed encrypted anew, the others as they were stored. */
    private MemberRepository.StoredMember encrypted(MemberRepository.StoredMember row, MemberProfile after, List<String> changed) {
        UUID memberId = row.memberId();
        String name = changed.contains(NAME) || row.nameEncrypted() == null
                ? cipher.encrypt(after.name(), memberId, NAME) : row.nameEncrypted();
        return new MemberRepository.StoredMember(memberId, row.externalId(), null, name,
                changed.contains(EMAIL) ? cipher.encrypt(after.email(), memberId, EMAIL) : row.emailEncrypted(),
                changed.contains(PHONE) ? cipher.encrypt(after.phone(), memberId, PHONE) : row.phoneEncrypted(),
                changed.contains(BIRTH_DATE)
                        ? cipher.encrypt(after.birthDate() == null ? null : after.birthDate().toString(), memberId, BIRTH_DATE)
                        : row.birthDateEncrypted(),
                after.region(), after.language(),
                changed.contains(GENDER)
                        ? cipher.encrypt(after.gender() == null ? null : after.gender().name(), memberId, GENDER)
                        : row.genderEncrypted(),
                row.channel(), row.enrolledAt(), row.erasedAt(), row.version());
    }

    /** A name enrolled before names were encrypted is still plaintext in the row, until erased. */
    private MemberProfile decrypt(MemberRepository.StoredMember row) {
        String name = row.nameEncrypted() != null ? cipher.decrypt(row.nameEncrypted(), row.memberId(), NAME) : row.name();
        return new MemberProfile(row.memberId(), row.externalId(), name,
                cipher.decrypt(row.emailEncrypted(), row.memberId(), EMAIL),
                cipher.decrypt(row.phoneEncrypted(), row.memberId(), PHONE),
                MemberRepository.StoredMember.parseDate(cipher.decrypt(row.birthDateEncrypted(), row.memberId(), BIRTH_DATE)),
                row.region(), row.language(), gender(cipher.decrypt(row.genderEncrypted(), row.memberId(), GENDER)),
                row.channel(), row.enrolledAt(), row.erasedAt(), row.version());
    }

    private static Gender gender(String stored) {
        return stored == null ? null : Gender.valueOf(stored);
    }

    private static Member withBalance(MemberProfile profile, Balance balance) {
        return new Member(profile.memberId(), profile.externalId(), profile.name(), profile.email(), profile.phone(),
                profile.birthDate(), profile.region(), profile.language(), profile.gender(), profile.channel(),
                profile.enrolledAt(), profile.erasedAt(), profile.version(), balance.tier(), balance.available(),
                balance.posted(), balance.held());
    }
}
