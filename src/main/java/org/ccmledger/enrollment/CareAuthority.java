package org.ccmledger.enrollment;

import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

import org.ccmledger.enrollment.api.Npi;

/**
 * Who may be paid for a patient's care time at a given instant, and whether the patient had consented to it: the
 * billing practitioner's timeline and the consent periods (R6, R8). Part of the {@link PatientEnrollment} aggregate's
 * state, rebuilt from its events.
 */
final class CareAuthority {

    /** The practitioner responsible from {@code from} on. */
    record PractitionerPeriod(Npi npi, Instant from) {
    }

    /** Consent for {@code npi} from {@code from} until {@code until} (exclusive; {@code null}: not revoked). */
    record ConsentPeriod(Npi npi, Instant from, Instant until) {
        boolean covers(Instant start, Instant end) {
            return !start.isBefore(from) && (until == null || !end.isAfter(until));
        }

        ConsentPeriod endingAt(Instant effectiveEnd) {
            return new ConsentPeriod(npi, from, effectiveEnd);
        }
    }

    private final List<PractitionerPeriod> practitioners = new ArrayList<>();
    private final List<ConsentPeriod> consents = new ArrayList<>();

    void practitionerFrom(Npi npi, Instant from) {
        practitioners.add(new PractitionerPeriod(npi, from));
    }

    void consented(Npi npi, Instant from) {
        consents.add(new ConsentPeriod(npi, from, null));
    }

    /** Ends the consent in force for {@code npi} at {@code effectiveAt}: revoked, or the practitioner changed (R8). */
    void revoked(Npi npi, Instant effectiveAt) {
        activeConsent(npi).ifPresent(active -> consents.set(consents.indexOf(active), active.endingAt(effectiveAt)));
    }

    /** When the current practitioner took over ({@link Instant#EPOCH} for the one enrolled with). */
    Instant currentPractitionerFrom() {
        return practitioners.get(practitioners.size() - 1).from();
    }

    Npi currentPractitioner() {
        return practitioners.get(practitioners.size() - 1).npi();
    }

    /** The practitioner responsible at {@code instant}: the last change at or before it, else the first one. */
    Npi practitionerAt(Instant instant) {
        Npi npi = practitioners.get(0).npi();
        for (PractitionerPeriod period : practitioners) {
            if (!period.from().isAfter(instant)) {
                npi = period.npi();
            }
        }
        return npi;
    }

    /** The consent for {@code npi} that is not revoked, if any. */
    Optional<ConsentPeriod> activeConsent(Npi npi) {
        return consents.stream().filter(c -> c.npi().equals(npi) && c.until() == null).findFirst();
    }

    /**
     * Whether care time from {@code start} to {@code end} was covered by the patient's consent for the practitioner
     * responsible when it started (R8: consent before any service, for that practitioner, until revocation takes
     * effect at month end).
     */
    boolean consentCovers(Instant start, Instant end) {
        Npi responsible = practitionerAt(start);
        return consents.stream().anyMatch(c -> c.npi().equals(responsible) && c.covers(start, end));
    }
}
