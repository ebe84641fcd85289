package org.ccmledger.platform.security;

import java.util.Arrays;
import java.util.Optional;

/**
 * What a user may do, as their token names it (claim {@code roles} unless configured otherwise). The endpoints each
 * role reaches are in {@link AccessPolicy} and the matrix in {@code docs/security.md}.
 */
public enum Role {
    /** Logs, corrects and voids their own care minutes. */
    CARE_STAFF("care-staff"),
    /** Consent, care plan, complexity, initiating visit and other clinical facts; logs their own time. */
    BILLING_PRACTITIONER("billing-practitioner"),
    /** Billing reports, month close, claims. */
    BILLING("billing"),
    /** A patient's history as of any instant, timeline, audit packets. */
    COMPLIANCE_OFFICER("compliance-officer"),
    /** Read-only: the event log, packets, verification, digests, the access log. */
    AUDITOR("auditor"),
    /** Enrollment and the patient's billing practitioner, death, disenrollment. */
    ADMIN("admin"),
    /**
     * The whole ledger, across practices: its verification and its digests (read-only). Granted by the identity
     * provider to whoever audits the platform; never implied by a practice's role, and acts without a practice.
     */
    PLATFORM_AUDITOR("platform-auditor"),
    /** Sealing the whole ledger with a digest on demand. Like {@link #PLATFORM_AUDITOR}, a platform role. */
    PLATFORM_ADMIN("platform-admin");

    private final String claimValue;

    Role(String claimValue) {
        this.claimValue = claimValue;
    }

    /** Whether the role is the platform's, not a practice's: it acts without naming a practice. */
    public boolean platform() {
        return this == PLATFORM_AUDITOR || this == PLATFORM_ADMIN;
    }

    /** The role's name in a token, such as {@code care-staff}. */
    public String claimValue() {
        return claimValue;
    }

    public static Optional<Role> fromClaimValue(String value) {
        return Arrays.stream(values()).filter(r -> r.claimValue.equals(value)).findFirst();
    }
}
