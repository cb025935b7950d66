package io.pointsledger.members;

import io.pointsledger.ledger.Balance;
import io.pointsledger.ledger.LedgerService;
import io.pointsledger.platform.ErrorCode;
import io.pointsledger.platform.ProblemException;
import io.pointsledger.tiers.Tier;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;
import java.util.UUID;

/** Enrollment and member look-up. */
@ApplicationScoped
public class MemberService {

    private final MemberRepository repository;
    private final LedgerService ledger;

    MemberService(MemberRepository repository, LedgerService ledger) {
        this.repository = repository;
        this.ledger = ledger;
    }

    /** Enrolls a member with an empty BASIC account. Fails with MEMBER_ALREADY_EXISTS. */
    public Uni<Member> enroll(EnrollMemberRequest request) {
        return repository.enroll(UUID.randomUUID(), request)
                .onItem().ifNull().failWith(() -> new ProblemException(ErrorCode.MEMBER_ALREADY_EXISTS,
                        "externalId " + request.externalId() + " belongs to another member"))
                .map(profile -> withBalance(profile, Balance.of(profile.memberId(), Tier.BASIC, 0, 0, 0)));
    }

    /** The member with their current balance. Fails with MEMBER_NOT_FOUND. */
    public Uni<Member> find(UUID memberId) {
        return repository.find(memberId)
                .onItem().ifNull().failWith(() -> new ProblemException(ErrorCode.MEMBER_NOT_FOUND, "No member " + memberId))
                .flatMap(profile -> ledger.balance(memberId).map(balance -> withBalance(profile, balance)));
    }

    private static Member withBalance(MemberProfile profile, Balance balance) {
        return new Member(profile.memberId(), profile.externalId(), profile.name(), profile.email(), profile.phone(),
                profile.birthDate(), profile.channel(), profile.enrolledAt(), balance.tier(), balance.available(),
                balance.posted(), balance.held());
    }
}
