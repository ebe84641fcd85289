package org.ccmledger.consent;

import java.time.Instant;
import java.time.ZoneId;
import java.util.List;

import org.ccmledger.consent.api.ConsentDeclined;
import org.ccmledger.consent.api.ConsentMethod;
import org.ccmledger.consent.api.ConsentRecorded;
import org.ccmledger.consent.api.ConsentRevoked;
import org.ccmledger.consent.api.Disclosures;
import org.ccmledger.patient.BillingPractitionerChanged;
import org.ccmledger.patient.ChronicCondition;
import org.ccmledger.patient.EnrollmentId;
import org.ccmledger.patient.Npi;
import org.ccmledger.patient.PatientEnrolled;

/** The events of a patient's consent history (R8), for one enrollment. */
final class ConsentMother {

    static final Npi NPI = new Npi("1234567893");
    static final Npi NEXT = new Npi("1245319599");
    static final Disclosures ALL_FOUR = new Disclosures(true, true, true, true);

    private final EnrollmentId id;

    ConsentMother(EnrollmentId id) {
        this.id = id;
    }

    PatientEnrolled enrolled() {
        return new PatientEnrolled(id, NPI, ZoneId.of("America/New_York"), List.of(
                new ChronicCondition("E11.9", "Type 2 diabetes", true, true),
                new ChronicCondition("I10", "Hypertension", true, true)), false);
    }

    ConsentRecorded accepted(Npi npi, Instant obtainedAt) {
        return new ConsentRecorded(id, ConsentMethod.VERBAL, obtainedAt, "rn-7", npi, "note-123", ALL_FOUR);
    }

    ConsentDeclined declined(Npi npi, Instant obtainedAt) {
        return new ConsentDeclined(id, ConsentMethod.WRITTEN, obtainedAt, "rn-8", npi, null, ALL_FOUR);
    }

    ConsentRevoked revoked(Npi npi, Instant revokedAt, Instant effectiveAt) {
        return new ConsentRevoked(id, npi, revokedAt, effectiveAt, "asked to stop");
    }

    BillingPractitionerChanged practitionerChanged(Npi from, Npi to, Instant effectiveAt) {
        return new BillingPractitionerChanged(id, from, to, effectiveAt);
    }
}
