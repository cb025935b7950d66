package io.pointsledger.campaigns;

import io.pointsledger.platform.ApiLimits;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.List;
import java.util.UUID;

/**
 * Which variant of a campaign a member is in: SHA-256 of the campaign and member ids, read as a
 * number from 0 to 9 999, falls in one variant's share (the variants in their order). The same on
 * every instance and every call, with no state to share; independent between campaigns, since the
 * campaign id is hashed too.
 */
final class VariantAssignment {

    private VariantAssignment() {
    }

    static CampaignVariant of(UUID campaignId, UUID memberId, List<CampaignVariant> variants) {
        int bucket = bucket(campaignId, memberId);
        int upTo = 0;
        for (CampaignVariant variant : variants) {
            upTo += variant.shareBasisPoints();
            if (bucket < upTo) {
                return variant;
            }
        }
        throw new IllegalStateException("The variants of campaign " + campaignId + " do not share out 10 000 basis points");
    }

    /** 0 to 9 999, uniform: the top 64 bits of the digest, unsigned, modulo 10 000 (a bias below 10^-15). */
    static int bucket(UUID campaignId, UUID memberId) {
        byte[] digest = sha256((campaignId + ":" + memberId).getBytes(StandardCharsets.US_ASCII));
        long high = ByteBuffer.wrap(digest, 0, Long.BYTES).getLong();
        return (int) Long.remainderUnsigned(high, ApiLimits.BASIS_POINTS_WHOLE);
    }

    private static byte[] sha256(byte[] input) {
        try {
            return MessageDigest.getInstance("SHA-256").digest(input);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("Every Java runtime has SHA-256", e);
        }
    }
}
