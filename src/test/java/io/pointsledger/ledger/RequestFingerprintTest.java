package io.pointsledger.ledger;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.OffsetDateTime;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.List;
import java.util.UUID;
import org.junit.jupiter.api.Test;

/** A fingerprint tells a retry from another request, across releases that add optional fields. */
class RequestFingerprintTest {

    private static final UUID MEMBER = UUID.fromString("0190f7a2-1c3e-7d4b-8a5f-2b6c9d0e1f23");
    private static final EarnRequest EARN = new EarnRequest("order-1", new Money(12_500L, "USD"),
            List.of(new LineItem("SKU-1", "coffee", 2, 6_250L)), SalesChannel.POS, null,
            OffsetDateTime.parse("2026-11-29T10:15:30Z"));

    @Test
    void shouldKeepTheFingerprintsAlreadyStored() {
        // Stored answers live for the key retention across deploys: what goes into a fingerprint of
        // version 1 must not change (a change needs a new version). The value was computed apart
        // from this class, from the encoding its documentation gives.
        assertEquals("01" + "727bda3e4ad7f92e9bbb374ba0e5b522fb5c615f9626f17c3e9597aaff1424e2",
                HexFormat.of().formatHex(RequestFingerprint.of(TransferKind.EARN, MEMBER, EARN)));
    }

    @Test
    void shouldNotChangeWhenAFieldWithoutAValueIsAdded() {
        RequestFingerprint.Fingerprinted before = fingerprint -> fingerprint.number("points", 10L).text("orderId", "o-1");
        RequestFingerprint.Fingerprinted after = fingerprint -> fingerprint.number("points", 10L).text("orderId", "o-1")
                .text("couponCode", null).list("bonuses", null).object("campaign", null).flag("test", null);

        assertArrayEquals(RequestFingerprint.of(TransferKind.REDEEM, MEMBER, before),
                RequestFingerprint.of(TransferKind.REDEEM, MEMBER, after));
    }

    @Test
    void shouldHashTheInstantWhateverItsOffset() {
        EarnRequest inSeoul = new EarnRequest(EARN.orderId(), EARN.amount(), EARN.items(), EARN.channel(), null,
                OffsetDateTime.parse("2026-11-29T19:15:30+09:00"));

        assertArrayEquals(RequestFingerprint.of(TransferKind.EARN, MEMBER, EARN),
                RequestFingerprint.of(TransferKind.EARN, MEMBER, inSeoul));
    }

    @Test
    void shouldTellApartRequestsThatDifferInAnyFieldOrItsBoundary() {
        byte[] earn = RequestFingerprint.of(TransferKind.EARN, MEMBER, EARN);
        EarnRequest otherQuantity = new EarnRequest(EARN.orderId(), EARN.amount(),
                List.of(new LineItem("SKU-1", "coffee", 3, 6_250L)), EARN.channel(), null, EARN.occurredAt());

        assertFalse(Arrays.equals(earn, RequestFingerprint.of(TransferKind.EARN, MEMBER, otherQuantity)));
        assertFalse(Arrays.equals(earn, RequestFingerprint.of(TransferKind.EARN, UUID.randomUUID(), EARN)));
        assertFalse(Arrays.equals(earn, RequestFingerprint.of(TransferKind.REDEEM, MEMBER, EARN)));
        assertFalse(Arrays.equals(
                RequestFingerprint.of(TransferKind.REDEEM, MEMBER, fingerprint -> fingerprint.text("a", "bc")),
                RequestFingerprint.of(TransferKind.REDEEM, MEMBER, fingerprint -> fingerprint.text("ab", "c"))));
        assertFalse(Arrays.equals(
                RequestFingerprint.of(TransferKind.REDEEM, MEMBER, fingerprint -> fingerprint.text("orderId", "10")),
                RequestFingerprint.of(TransferKind.REDEEM, MEMBER, fingerprint -> fingerprint.number("orderId", 10L))));
    }

    @Test
    void shouldCompareAnAnswerStoredByTheReleaseBeforeWithItsFingerprint() {
        byte[] current = RequestFingerprint.of(TransferKind.EARN, MEMBER, EARN);
        byte[] legacy = new byte[32];
        legacy[0] = 7;
        Posting posting = new Posting("operator", true, null, "key-1", current, legacy, TransferKind.EARN, MEMBER, null,
                PostingFields.none());

        assertEquals(33, current.length);
        assertEquals(RequestFingerprint.VERSION, current[0]);
        assertTrue(RequestFingerprint.sameRequest(current, posting));
        assertTrue(RequestFingerprint.sameRequest(legacy.clone(), posting));
        assertFalse(RequestFingerprint.sameRequest(new byte[32], posting));
        // The release before reads both forms: this one stores the versioned form.
        assertArrayEquals(current, posting.storedFingerprint());
    }

    @Test
    void shouldFingerprintTheSameWhatMeansTheSame() {
        assertArrayEquals(RequestFingerprint.of(TransferKind.ADJUSTMENT, MEMBER, new AdjustmentRequest(-5L, "fix", null)),
                RequestFingerprint.of(TransferKind.ADJUSTMENT, MEMBER, new AdjustmentRequest(-5L, "fix", false)));
        EarnRequest withoutItems = new EarnRequest("order-1", EARN.amount(), null, SalesChannel.POS, null, null);
        EarnRequest withNoItems = new EarnRequest("order-1", EARN.amount(), List.of(), SalesChannel.POS, null, null);
        assertArrayEquals(RequestFingerprint.of(TransferKind.EARN, MEMBER, withoutItems),
                RequestFingerprint.of(TransferKind.EARN, MEMBER, withNoItems));
    }
}
