package io.pointsledger.members;

import java.util.List;
import org.eclipse.microprofile.openapi.annotations.media.Schema;

/** Members matching an exact look-up. */
@Schema(description = "Members matching an exact look-up; empty when none does.", example = """
        {"items": [{"memberId": "3f6c1a2e-8d4b-4f7a-9c1e-2b5d6a7e8f90", "externalId": "till-000123", "name": "Kim Minji",
                   "email": "minji@example.com", "phone": "+821012345678", "birthDate": "1990-04-01", "region": "Seoul",
                   "language": "ko", "gender": null, "channel": "OFFLINE", "enrolledAt": "2026-11-29T09:15:00Z",
                   "erasedAt": null, "version": 1, "tier": "BASIC", "available": 1250, "posted": 1550, "held": 300}]}""")
public record MemberPage(List<Member> items) {
}
