package org.ccmledger.billing;

import java.time.Instant;
import java.time.LocalDate;
import java.time.YearMonth;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;

import org.ccmledger.billing.api.BillingAdjustmentIssued;
import org.ccmledger.billing.api.BillingStatementIssued;
import org.ccmledger.billing.api.EventRef;
import org.ccmledger.billing.api.StatementLine;
import org.ccmledger.careplan.api.CarePlanRevised;
import org.ccmledger.caretime.api.CareMinutesCorrected;
import org.ccmledger.caretime.api.CareMinutesLogged;
import org.ccmledger.caretime.api.CareMinutesVoided;
import org.ccmledger.caretime.api.PerformerRole;
import org.ccmledger.consent.api.ConsentRecorded;
import org.ccmledger.consent.api.ConsentRevoked;
import org.ccmledger.enrollment.api.BillingPractitionerChanged;
import org.ccmledger.enrollment.api.ComplexityAttested;
import org.ccmledger.enrollment.api.ConcurrentServiceKind;
import org.ccmledger.enrollment.api.ConcurrentServiceRecorded;
import org.ccmledger.enrollment.api.InitiatingVisitRecorded;
import org.ccmledger.enrollment.api.InpatientStayRecorded;
import org.ccmledger.enrollment.api.PatientDied;
import org.ccmledger.enrollment.api.PatientDisenrolled;
import org.ccmledger.enrollment.api.PatientEnrolled;
import org.ccmledger.enrollment.api.VisitType;

/**
 * Everything billing decides with for one patient, folded from the ledger's events: the enrollment (zone, conditions,
 * QMB), the practitioner timeline and consent periods (R6, R8), the time entries as corrected and voided (P4), visits
 * (R9), complexity attestations and care-plan versions (P1, R10), concurrent services (exclusion matrix), inpatient
 * stays (R4), death, and what has been billed per month (statements and adjustments).
 * <p>
 * The same fold serves the billing projection (events as the tracking processor delivers them) and verification
 * (events read straight from the patient's streams). Its result does not depend on how the streams interleave: every
 * stream is applied in its own order, and facts from different streams are kept in collections ordered by their own
 * keys. Each fact keeps the {@link EventRef} of the event it came from, so a statement can name and hash them.
 * <p>
 * Plain fields, serialised whole as JSON into the projection's document.
 */
final class PatientBillingRecord {

    record Condition(String code, boolean qualifies) {
    }

    record PractitionerPeriod(String npi, Instant from, EventRef ref) {
    }

    record ConsentPeriod(String npi, Instant from, Instant until, EventRef ref, EventRef endRef) {
        boolean covers(Instant start, Instant end) {
            return !start.isBefore(from) && (until == null || !end.isAfter(until));
        }
    }

    record TimeEntry(String entryId, PerformerRole role, String performerId, Instant startedAt, int minutes,
                     boolean voided, List<EventRef> refs) {
        Instant end() {
            return startedAt.plusSeconds(60L * minutes);
        }
    }

    record Visit(LocalDate date, VisitType type, Integer emLevel, String npi, boolean comprehensiveCarePlanning,
                 EventRef ref) {
    }

    record Complexity(YearMonth month, EventRef ref) {
    }

    record Service(String code, ConcurrentServiceKind kind, YearMonth month, String npi, EventRef ref) {
    }

    record Stay(LocalDate admittedOn, LocalDate dischargedOn, EventRef ref) {
    }

    record CarePlanVersion(int version, Instant revisedAt, boolean substantial, Instant sharedWithPatientAt,
                           EventRef ref) {
    }

    /** What has been billed for a month: the statement, then each adjustment, and the lines now standing. */
    record Billed(YearMonth month, String statementId, EventRef statementRef, List<String> adjustmentIds,
                  List<StatementLine> lines, String practitioner) {
    }

    String enrollmentId;
    String practiceId;
    String patientId;
    ZoneId timeZone;
    boolean qualifiedMedicareBeneficiary;
    /** R9: {@code null} when the enrollment did not say; then the visit is required. */
    Boolean initiatingVisitRequired;
    List<Condition> conditions = new ArrayList<>();
    EventRef enrolledRef;
    List<PractitionerPeriod> practitioners = new ArrayList<>();
    List<ConsentPeriod> consents = new ArrayList<>();
    Map<String, TimeEntry> entries = new LinkedHashMap<>();
    List<Visit> visits = new ArrayList<>();
    List<Complexity> complexity = new ArrayList<>();
    List<Service> services = new ArrayList<>();
    List<Stay> stays = new ArrayList<>();
    LocalDate dateOfDeath;
    EventRef deathRef;
    Instant disenrolledAt;
    EventRef disenrolledRef;
    TreeMap<Integer, CarePlanVersion> carePlan = new TreeMap<>();
    TreeMap<String, Billed> billed = new TreeMap<>();
    /** The last sequence number applied per stream: an event delivered again is ignored. */
    Map<String, Long> sequences = new HashMap<>();
    /** Events that arrived ahead of their stream's next sequence number, waiting for the gap to fill. */
    List<Pending> pending = new ArrayList<>();

    /** An event kept until its predecessors arrive, in its serialised form. */
    record Pending(EventRef ref, String type, String payload) {
    }

    /** Turns payloads into text and back, to keep events that arrive early. */
    interface Codec {
        Pending encode(Object payload, EventRef ref);

        Object decode(Pending pending);
    }

    /** Whether the record has seen its patient's enrollment. */
    boolean enrolled() {
        return enrollmentId != null;
    }

    /**
     * Delivers one event in whatever order events arrive: sequence numbers of a stream are contiguous from 0, so an
     * event is applied when it is its stream's next one, kept aside when it is early (and applied once the gap
     * fills), and ignored when it was applied before. The result is the fold of every stream in its own order, however
     * the events were delivered and however often. Returns whether anything was applied or kept.
     */
    boolean deliver(Object payload, EventRef ref, Codec codec) {
        long next = sequences.getOrDefault(ref.aggregateId(), -1L) + 1;
        if (ref.sequence() < next) {
            return false;
        }
        if (ref.sequence() > next) {
            if (pending.stream().anyMatch(p -> p.ref().equals(ref))) {
                return false;
            }
            pending.add(codec.encode(payload, ref));
            return true;
        }
        apply(payload, ref);
        boolean drained = true;
        while (drained) {
            long following = sequences.get(ref.aggregateId()) + 1;
            Optional<Pending> ready = pending.stream().filter(p -> p.ref().aggregateId().equals(ref.aggregateId())
                                                                 && p.ref().sequence() == following).findFirst();
            drained = ready.isPresent();
            ready.ifPresent(p -> {
                pending.remove(p);
                apply(codec.decode(p), p.ref());
            });
        }
        return true;
    }

    /**
     * Applies one event of the patient's streams, in stream order. Returns false, changing nothing, for an event already applied
     * (its stream's sequence is not past the last one applied) or of a type billing does not read.
     */
    boolean apply(Object payload, EventRef ref) {
        Long last = sequences.get(ref.aggregateId());
        if (last != null && ref.sequence() <= last) {
            return false;
        }
        boolean relevant = fold(payload, ref);
        sequences.put(ref.aggregateId(), ref.sequence());
        return relevant;
    }

    private boolean fold(Object payload, EventRef ref) {
        if (payload instanceof PatientEnrolled e) {
            enrollmentId = e.enrollmentId().toString();
            practiceId = e.enrollmentId().practiceId().value();
            patientId = e.enrollmentId().patientId().value();
            timeZone = e.timeZone();
            qualifiedMedicareBeneficiary = e.qualifiedMedicareBeneficiary();
            initiatingVisitRequired = e.initiatingVisitRequired();
            e.chronicConditions().forEach(c -> conditions.add(new Condition(c.code(), c.qualifies())));
            enrolledRef = ref;
            practitioners.add(new PractitionerPeriod(e.billingPractitioner().value(), Instant.EPOCH, ref));
        } else if (payload instanceof BillingPractitionerChanged e) {
            endConsent(e.previous().value(), e.effectiveAt(), ref);
            practitioners.add(new PractitionerPeriod(e.billingPractitioner().value(), e.effectiveAt(), ref));
        } else if (payload instanceof ConsentRecorded e) {
            consents.add(new ConsentPeriod(e.billingPractitioner().value(), e.obtainedAt(), null, ref, null));
        } else if (payload instanceof ConsentRevoked e) {
            endConsent(e.billingPractitioner().value(), e.effectiveAt(), ref);
        } else if (payload instanceof CareMinutesLogged e) {
            entries.put(e.entryId().value(), new TimeEntry(e.entryId().value(), e.performer().role(),
                                                           e.performer().id(), e.startedAt(), e.minutes(), false,
                                                           List.of(ref)));
        } else if (payload instanceof CareMinutesCorrected e) {
            entries.computeIfPresent(e.entryId().value(), (id, t) -> new TimeEntry(
                    id, t.role(), t.performerId(), e.startedAt(), e.minutes(), t.voided(), append(t.refs(), ref)));
        } else if (payload instanceof CareMinutesVoided e) {
            entries.computeIfPresent(e.entryId().value(), (id, t) -> new TimeEntry(
                    id, t.role(), t.performerId(), t.startedAt(), t.minutes(), true, append(t.refs(), ref)));
        } else if (payload instanceof InitiatingVisitRecorded e) {
            visits.add(new Visit(e.visitDate(), e.visitType(), e.emLevel(), e.practitioner().value(),
                                 e.comprehensiveCarePlanning(), ref));
        } else if (payload instanceof ComplexityAttested e) {
            complexity.add(new Complexity(e.month(), ref));
        } else if (payload instanceof ConcurrentServiceRecorded e) {
            services.add(new Service(e.code(), e.kind(), e.month(),
                                     e.practitioner() == null ? null : e.practitioner().value(), ref));
        } else if (payload instanceof InpatientStayRecorded e) {
            stays.add(new Stay(e.admittedOn(), e.dischargedOn(), ref));
        } else if (payload instanceof PatientDied e) {
            dateOfDeath = e.dateOfDeath();
            deathRef = ref;
        } else if (payload instanceof PatientDisenrolled e) {
            disenrolledAt = e.effectiveAt();
            disenrolledRef = ref;
        } else if (payload instanceof CarePlanRevised e) {
            carePlan.put(e.version(), new CarePlanVersion(e.version(), e.revisedAt(), e.substantialRevision(),
                                                          e.sharedWithPatientAt(), ref));
        } else if (payload instanceof BillingStatementIssued e) {
            billed.put(e.month().toString(), new Billed(e.month(), e.statementId(), ref, List.of(), e.lines(),
                                                        e.billingPractitioner()));
        } else if (payload instanceof BillingAdjustmentIssued e) {
            billed.computeIfPresent(e.month().toString(), (m, b) -> new Billed(
                    b.month(), b.statementId(), b.statementRef(), append(b.adjustmentIds(), e.adjustmentId()),
                    e.lines(), b.practitioner()));
        } else {
            return false;
        }
        return true;
    }

    private void endConsent(String npi, Instant effectiveAt, EventRef ref) {
        for (int i = 0; i < consents.size(); i++) {
            ConsentPeriod c = consents.get(i);
            if (c.npi().equals(npi) && c.until() == null) {
                consents.set(i, new ConsentPeriod(c.npi(), c.from(), effectiveAt, c.ref(), ref));
            }
        }
    }

    private static <T> List<T> append(List<T> list, T item) {
        List<T> copy = new ArrayList<>(list);
        copy.add(item);
        return copy;
    }

    /** The practitioner responsible at {@code instant}: the last change at or before it. */
    PractitionerPeriod practitionerAt(Instant instant) {
        return practitioners.stream().sorted(Comparator.comparing(PractitionerPeriod::from))
                            .filter(p -> !p.from().isAfter(instant))
                            .reduce((a, b) -> b).orElse(practitioners.get(0));
    }

    /** The care-plan version in force at {@code instant}, if any was established by then (R10). */
    java.util.Optional<CarePlanVersion> carePlanAt(Instant instant) {
        return carePlan.values().stream().filter(v -> !v.revisedAt().isAfter(instant)).reduce((a, b) -> b);
    }

    /** Months touched by the record's entries and facts, for the practice-month index. */
    List<YearMonth> monthsOf(TimeEntry entry) {
        List<YearMonth> months = new ArrayList<>();
        YearMonth first = YearMonth.from(entry.startedAt().atZone(timeZone));
        YearMonth last = YearMonth.from(entry.end().minusSeconds(1).atZone(timeZone));
        for (YearMonth m = first; !m.isAfter(last); m = m.plusMonths(1)) {
            months.add(m);
        }
        return months;
    }
}
