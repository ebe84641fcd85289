package org.ccmledger.enrollment;

import java.time.Instant;
import java.time.YearMonth;
import java.time.ZoneId;

import org.ccmledger.consent.api.ConsentDecision;
import org.ccmledger.consent.api.ConsentDeclined;
import org.ccmledger.consent.api.ConsentPeriod;
import org.ccmledger.consent.api.ConsentPeriods;
import org.ccmledger.consent.api.ConsentRecorded;
import org.ccmledger.consent.api.ConsentRevoked;
import org.ccmledger.consent.api.RecordConsent;
import org.ccmledger.consent.api.RevokeConsent;
import org.ccmledger.patient.BillingPractitionerChanged;
import org.ccmledger.patient.ChangeBillingPractitioner;
import org.ccmledger.patient.Npi;
import org.ccmledger.platform.problem.Refusal;

/**
 * Who may be paid for a patient's care time, and whether the patient consented to it (R6, R8): decisions on the
 * consent fold of {@code consent.api} ({@link ConsentPeriods}), the same fold the read models, billing and audit read.
 * Part of the {@link PatientEnrollment} aggregate: it decides which event a consent or practitioner command gives, or
 * refuses it with the rule id.
 */
final class CareAuthority {

    private ConsentPeriods<Void> periods = ConsentPeriods.none();

    void apply(Object event) {
        periods = periods.apply(event, null);
    }

    /** R8: the four disclosures, for the current practitioner, not while a consent for them is in force. */
    Object consent(RecordConsent command) {
        if (command.disclosures() == null || !command.disclosures().complete()) {
            throw Refusal.rule("DISCLOSURE_MISSING", "R8", "the patient must be told that CCM is available, that "
                    + "cost sharing applies, that one practitioner per month is paid, and that they may stop at "
                    + "the end of any month (R8)");
        }
        Guards.assertNotInFuture(command.obtainedAt(), 0);
        if (!command.billingPractitioner().equals(periods.currentPractitioner())) {
            throw Refusal.rule("CONSENT_FOR_OTHER_PRACTITIONER", "R8",
                               "consent must be for the patient's current billing practitioner (R8)");
        }
        if (periods.inForce(command.billingPractitioner()).isPresent()) {
            throw Refusal.conflict("CONSENT_ALREADY_RECORDED", "consent for this practitioner is already in force; "
                    + "a patient who stops revokes it (effective at month end)");
        }
        if (command.decision() == ConsentDecision.DECLINED) {
            return new ConsentDeclined(command.enrollmentId(), command.method(), command.obtainedAt(),
                                       command.obtainedBy(), command.billingPractitioner(), command.documentRef(),
                                       command.disclosures());
        }
        return new ConsentRecorded(command.enrollmentId(), command.method(), command.obtainedAt(),
                                   command.obtainedBy(), command.billingPractitioner(), command.documentRef(),
                                   command.disclosures());
    }

    /** R8: a revocation ends the consent in force at the end of its calendar month in the billing location's zone. */
    ConsentRevoked revoke(RevokeConsent command, ZoneId zone, TimeEntries entries) {
        Guards.assertNotInFuture(command.revokedAt(), 0);
        ConsentPeriod<Void> active = periods.inForce(periods.currentPractitioner()).orElseThrow(
                () -> Refusal.rule("NO_CONSENT_IN_FORCE", "R8", "there is no consent in force to revoke"));
        if (command.revokedAt().isBefore(active.obtainedAt())) {
            throw Refusal.rule("REVOCATION_BEFORE_CONSENT", "R8", "a revocation cannot precede the consent");
        }
        Instant effectiveAt = YearMonth.from(command.revokedAt().atZone(zone)).plusMonths(1).atDay(1)
                                       .atStartOfDay(zone).toInstant();
        entries.assertNoLiveTimeAfter(effectiveAt, "R8");
        return new ConsentRevoked(command.enrollmentId(), active.practitioner(), command.revokedAt(), effectiveAt,
                                  command.reason());
    }

    /** R6: another practitioner from a moment not before the last change; it ends the former one's consent (R8). */
    BillingPractitionerChanged changePractitioner(ChangeBillingPractitioner command, TimeEntries entries) {
        if (command.billingPractitioner().equals(periods.currentPractitioner())) {
            throw Refusal.conflict("SAME_PRACTITIONER", "this is already the patient's billing practitioner");
        }
        Guards.assertNotInFuture(command.effectiveAt(), 0);
        if (command.effectiveAt().isBefore(periods.currentPractitionerFrom())) {
            throw Refusal.rule("CHANGE_BEFORE_LAST_CHANGE", "R6", "a practitioner change cannot take effect before "
                    + "the change that made the current practitioner responsible");
        }
        entries.assertNoLiveTimeAfter(command.effectiveAt(), "R8");
        return new BillingPractitionerChanged(command.enrollmentId(), periods.currentPractitioner(),
                                              command.billingPractitioner(), command.effectiveAt());
    }

    /**
     * R8: care time needs the patient's consent for the practitioner responsible when it started, obtained before it
     * and not yet ended when it ends.
     */
    void assertConsentCovers(Instant start, Instant end) {
        if (!periods.covers(start, end)) {
            throw Refusal.rule("CONSENT_NOT_IN_FORCE", "R8", "care time needs the patient's consent for the "
                    + "billing practitioner, obtained before the time and not yet revoked (R8)");
        }
    }

    /** The practitioner responsible at {@code instant}. */
    Npi practitionerAt(Instant instant) {
        return periods.practitionerAt(instant).npi();
    }
}
