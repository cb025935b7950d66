package io.pointsledger.partners;

import com.fasterxml.jackson.annotation.JsonProperty;

/** What a partner's keys may do. {@link #ADMIN} includes every other scope. */
public enum Scope {
    @JsonProperty("earn") EARN,
    /** Earn with explicit points instead of the program's earn rule. */
    @JsonProperty("earn:manual") EARN_MANUAL,
    @JsonProperty("redeem") REDEEM,
    @JsonProperty("hold") HOLD,
    @JsonProperty("reverse") REVERSE,
    @JsonProperty("read") READ,
    @JsonProperty("pii") PII,
    /** The program's reports: liability, breakage, earn and burn, members, sales. */
    @JsonProperty("reports") REPORTS,
    @JsonProperty("admin") ADMIN;

    public String wireName() {
        return name().toLowerCase(java.util.Locale.ROOT).replace('_', ':');
    }

    public static Scope fromWireName(String name) {
        return valueOf(name.toUpperCase(java.util.Locale.ROOT).replace(':', '_'));
    }
}
