package io.pointsledger.holds;

import io.pointsledger.ledger.LedgerService;
import io.pointsledger.ledger.Posted;
import io.pointsledger.ledger.PostingFields;
import io.pointsledger.ledger.RequestFingerprint;
import io.pointsledger.ledger.TransferKind;
import io.pointsledger.partners.Caller;
import io.pointsledger.platform.ErrorCode;
import io.pointsledger.platform.ProblemException;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;
import java.time.Clock;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.time.temporal.ChronoUnit;
import java.util.UUID;

/**
 * Checkout holds, TigerBeetle-style two-phase transfers: a hold reserves points (available drops,
 * posted does not); capture posts them, void or expiry releases them. Every step is one call of
 * the ledger's write path, so a capture racing a void or the expiry job has exactly one winner.
 */
@ApplicationScoped
public class HoldService {

    private final LedgerService ledger;
    private final HoldRepository repository;
    private final Clock clock;

    HoldService(LedgerService ledger, HoldRepository repository, Clock clock) {
        this.ledger = ledger;
        this.repository = repository;
        this.clock = clock;
    }

    /** Fails with MEMBER_NOT_FOUND, INSUFFICIENT_POINTS, IDEMPOTENCY_KEY_REQUIRED or IDEMPOTENCY_KEY_REUSED. */
    public Uni<Posted<HoldView>> hold(Caller caller, UUID memberId, String idempotencyKey, CreateHoldRequest request) {
        long lifetimeSeconds = request.expiresInSeconds() == null
                ? CreateHoldRequest.HOLD_LIFETIME_SECONDS_DEFAULT : request.expiresInSeconds();
        PostingFields fields = PostingFields.hold(request.points(), request.channel().name(), request.orderId(),
                // Microseconds, as PostgreSQL keeps it: the receipt says what a later look-up will.
                OffsetDateTime.ofInstant(clock.instant().plusSeconds(lifetimeSeconds), ZoneOffset.UTC)
                        .truncatedTo(ChronoUnit.MICROS));
        return ledger.post(caller, idempotencyKey, TransferKind.HOLD, memberId, null, request, fields, HoldView.class);
    }

    /** Fails with HOLD_NOT_FOUND (also another partner's), HOLD_NOT_PENDING, CAPTURE_EXCEEDS_HOLD or an idempotency code. */
    public Uni<Posted<HoldView>> capture(Caller caller, UUID holdId, String idempotencyKey, CaptureRequest request) {
        CaptureRequest capture = request == null ? new CaptureRequest(null) : request;
        PostingFields fields = PostingFields.capture(capture.points());
        return ledger.post(caller, idempotencyKey, TransferKind.CAPTURE, null, holdId, capture, fields, HoldView.class);
    }

    /** Fails with HOLD_NOT_FOUND (also another partner's), HOLD_NOT_PENDING or an idempotency code. */
    public Uni<Posted<HoldView>> voidHold(Caller caller, UUID holdId, String idempotencyKey) {
        return ledger.post(caller, idempotencyKey, TransferKind.VOID, null, holdId, RequestFingerprint.NO_FIELDS,
                PostingFields.voiding(), HoldView.class);
    }

    /** Fails with HOLD_NOT_FOUND, also for another partner's hold (ids do not leak). */
    public Uni<HoldView> find(Caller caller, UUID holdId) {
        return repository.find(holdId)
                .map(owned -> owned == null || !(caller.seesAllPartners() || caller.partnerId().equals(owned.partnerId()))
                        ? null : owned.hold())
                .onItem().ifNull().failWith(() -> new ProblemException(ErrorCode.HOLD_NOT_FOUND, "No hold " + holdId));
    }
}
