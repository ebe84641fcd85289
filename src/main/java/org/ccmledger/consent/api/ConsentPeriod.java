package org.ccmledger.consent.api;

import java.time.Instant;

import org.ccmledger.patient.Npi;

/**
 * One consent decision of the patient for a billing practitioner (R8): accepted or declined, how and by whom it was
 * obtained, the four disclosures, and, for an accepted one, how it ended ({@code end == null} while it is in force).
 * An accepted consent covers care time from {@code obtainedAt} until its end takes effect.
 *
 * @param <S> what the caller keeps of the event it came from
 */
public record ConsentPeriod<S>(ConsentDecision decision, Npi practitioner, ConsentMethod method, Instant obtainedAt,
                               String obtainedBy, String documentRef, Disclosures disclosures, S source,
                               ConsentEnd<S> end) {

    public boolean accepted() {
        return decision == ConsentDecision.ACCEPTED;
    }

    /** Accepted and not ended. */
    public boolean inForce() {
        return accepted() && end == null;
    }

    /** The first instant it no longer covers; {@code null} while in force (or for a declined one). */
    public Instant until() {
        return end == null ? null : end.effectiveAt();
    }

    /** Whether it covers care time from {@code start} to {@code finish}: accepted, before the start, to the end. */
    public boolean covers(Instant start, Instant finish) {
        return accepted() && !start.isBefore(obtainedAt) && (end == null || !finish.isAfter(end.effectiveAt()));
    }

    /** Whether it was in force at some moment of {@code [from, to)}. */
    public boolean overlaps(Instant from, Instant to) {
        return accepted() && obtainedAt.isBefore(to) && (end == null || end.effectiveAt().isAfter(from));
    }

    /** Where the decision stands. */
    public ConsentStatus status() {
        if (!accepted()) {
            return ConsentStatus.DECLINED;
        }
        if (end == null) {
            return ConsentStatus.IN_FORCE;
        }
        return end.kind() == ConsentEnd.Kind.REVOKED ? ConsentStatus.REVOKED
                : ConsentStatus.ENDED_BY_PRACTITIONER_CHANGE;
    }

    ConsentPeriod<S> endedBy(ConsentEnd<S> ending) {
        return new ConsentPeriod<>(decision, practitioner, method, obtainedAt, obtainedBy, documentRef, disclosures,
                                   source, ending);
    }
}
