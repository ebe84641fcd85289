package org.ccmledger.consent.api;

import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Set;

import org.ccmledger.patient.BillingPractitionerChanged;
import org.ccmledger.patient.Npi;
import org.ccmledger.patient.PatientEnrolled;

/**
 * R6 and R8 in one fold: from a patient's enrollment, consent, revocation and practitioner-change events, in the order
 * of the patient's stream, to the billing practitioner's timeline and every consent decision with how it ended. A
 * revocation ends the consent in force for its practitioner when it takes effect (month end); a practitioner change
 * ends the former practitioner's consent at the change. The enrollment aggregate guards with it, and the consents
 * read model, billing, the audit history, packet and timeline all read it, so the rule is written once.
 * <p>
 * Immutable: {@link #apply} returns the fold with one more event; events it does not concern leave it as it is.
 *
 * @param <S> what the caller keeps of the event each fact came from (a sequence number, an event id, a reference)
 */
public record ConsentPeriods<S>(List<PractitionerPeriod<S>> practitioners, List<ConsentPeriod<S>> decisions) {

    public ConsentPeriods {
        practitioners = List.copyOf(practitioners);
        decisions = List.copyOf(decisions);
    }

    /** Before the patient's first event. */
    public static <S> ConsentPeriods<S> none() {
        return new ConsentPeriods<>(List.of(), List.of());
    }

    /**
     * The events the fold reads: enrollment, consent accepted, declined or revoked, practitioner change. A read model
     * that keeps them handles these types only, so that no other event's payload is read for it.
     */
    public static final Set<Class<?>> EVENTS = Set.of(PatientEnrolled.class, BillingPractitionerChanged.class,
                                                      ConsentRecorded.class, ConsentDeclined.class,
                                                      ConsentRevoked.class);

    /** Whether the fold reads {@code event} (one of {@link #EVENTS}). */
    public static boolean concerns(Object event) {
        return event != null && EVENTS.contains(event.getClass());
    }

    /** The fold with {@code event} applied; {@code source} is kept with the fact it gives. */
    public ConsentPeriods<S> apply(Object event, S source) {
        if (event instanceof PatientEnrolled e) {
            return withPractitioner(new PractitionerPeriod<>(e.billingPractitioner(), Instant.EPOCH, source));
        }
        if (event instanceof BillingPractitionerChanged e) {
            return end(e.previous(), new ConsentEnd<>(ConsentEnd.Kind.PRACTITIONER_CHANGED, null, e.effectiveAt(), null,
                                                      e.billingPractitioner(), source))
                    .withPractitioner(new PractitionerPeriod<>(e.billingPractitioner(), e.effectiveAt(), source));
        }
        if (event instanceof ConsentRecorded e) {
            return withDecision(new ConsentPeriod<>(ConsentDecision.ACCEPTED, e.billingPractitioner(), e.method(),
                                                    e.obtainedAt(), e.obtainedBy(), e.documentRef(), e.disclosures(),
                                                    source, null));
        }
        if (event instanceof ConsentDeclined e) {
            return withDecision(new ConsentPeriod<>(ConsentDecision.DECLINED, e.billingPractitioner(), e.method(),
                                                    e.obtainedAt(), e.obtainedBy(), e.documentRef(), e.disclosures(),
                                                    source, null));
        }
        if (event instanceof ConsentRevoked e) {
            return end(e.billingPractitioner(), new ConsentEnd<>(ConsentEnd.Kind.REVOKED, e.revokedAt(),
                                                                 e.effectiveAt(), e.reason(), null, source));
        }
        return this;
    }

    /** The practitioner responsible now (the last change); the patient must have been enrolled. */
    public Npi currentPractitioner() {
        return current().npi();
    }

    /** When the current practitioner took over ({@link Instant#EPOCH} for the one enrolled with). */
    public Instant currentPractitionerFrom() {
        return current().from();
    }

    /** The period of the practitioner responsible at {@code instant}: the last change at or before it, else the first. */
    public PractitionerPeriod<S> practitionerAt(Instant instant) {
        PractitionerPeriod<S> responsible = practitioners.get(0);
        for (PractitionerPeriod<S> period : practitioners) {
            if (!period.from().isAfter(instant)) {
                responsible = period;
            }
        }
        return responsible;
    }

    /**
     * The practitioners responsible at some moment of {@code [from, to)}, each once, in the order they took over; a
     * practitioner responsible twice appears at their later period.
     */
    public List<PractitionerPeriod<S>> practitionersDuring(Instant from, Instant to) {
        List<PractitionerPeriod<S>> during = new ArrayList<>();
        during.add(practitionerAt(from));
        for (PractitionerPeriod<S> period : practitioners) {
            if (period.from().isAfter(from) && period.from().isBefore(to)) {
                during.removeIf(d -> d.npi().equals(period.npi()));
                during.add(period);
            }
        }
        return during;
    }

    /** The accepted consent for {@code npi} that has not ended, if any. */
    public Optional<ConsentPeriod<S>> inForce(Npi npi) {
        return decisions.stream().filter(c -> c.inForce() && c.practitioner().equals(npi)).findFirst();
    }

    /** The accepted consents for {@code npi} in force at some moment of {@code [from, to)}. */
    public List<ConsentPeriod<S>> acceptedDuring(Npi npi, Instant from, Instant to) {
        return decisions.stream().filter(c -> c.practitioner().equals(npi) && c.overlaps(from, to)).toList();
    }

    /**
     * R8: whether care time from {@code start} to {@code end} is covered by the patient's consent for the practitioner
     * responsible when it started, obtained before it and not ended before it ends.
     */
    public boolean covers(Instant start, Instant end) {
        return coversFor(practitionerAt(start).npi(), start, end);
    }

    /** Whether care time from {@code start} to {@code end} is covered by a consent for {@code npi}. */
    public boolean coversFor(Npi npi, Instant start, Instant end) {
        return decisions.stream().anyMatch(c -> c.practitioner().equals(npi) && c.covers(start, end));
    }

    private PractitionerPeriod<S> current() {
        if (practitioners.isEmpty()) {
            throw new IllegalStateException("no practitioner before the patient's enrollment");
        }
        return practitioners.get(practitioners.size() - 1);
    }

    private ConsentPeriods<S> withPractitioner(PractitionerPeriod<S> period) {
        List<PractitionerPeriod<S>> all = new ArrayList<>(practitioners);
        all.add(period);
        return new ConsentPeriods<>(all, decisions);
    }

    private ConsentPeriods<S> withDecision(ConsentPeriod<S> decision) {
        List<ConsentPeriod<S>> all = new ArrayList<>(decisions);
        all.add(decision);
        return new ConsentPeriods<>(practitioners, all);
    }

    /** Ends the consent in force for {@code npi}, if there is one. */
    private ConsentPeriods<S> end(Npi npi, ConsentEnd<S> ending) {
        List<ConsentPeriod<S>> all = new ArrayList<>(decisions);
        all.replaceAll(c -> c.inForce() && c.practitioner().equals(npi) ? c.endedBy(ending) : c);
        return new ConsentPeriods<>(practitioners, all);
    }
}
