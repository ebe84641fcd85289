package org.ccmledger.billing.rules;

import java.time.Instant;
import java.time.LocalDate;
import java.time.YearMonth;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.SortedMap;
import java.util.SortedSet;
import java.util.TreeMap;
import java.util.TreeSet;

import org.ccmledger.billing.api.BillingAdjustmentIssued;
import org.ccmledger.billing.api.BillingStatementIssued;
import org.ccmledger.billing.api.EventRef;
import org.ccmledger.billing.api.StatementLine;
import org.ccmledger.careplan.api.CarePlanRevised;
import org.ccmledger.caretime.api.CareCalendar;
import org.ccmledger.caretime.api.CareTimeEntries;
import org.ccmledger.caretime.api.MonthShare;
import org.ccmledger.caretime.api.TimeEntry;
import org.ccmledger.consent.api.ConsentPeriods;
import org.ccmledger.patient.ComplexityAttested;
import org.ccmledger.patient.ConcurrentServiceKind;
import org.ccmledger.patient.ConcurrentServiceRecorded;
import org.ccmledger.patient.InitiatingVisitRecorded;
import org.ccmledger.patient.PatientEnrolled;
import org.ccmledger.patient.VisitType;

/**
 * Everything billing decides with for one patient, folded from the ledger's events: the enrollment (conditions, QMB),
 * the practitioner timeline and consent periods ({@link ConsentPeriods}, R6, R8), the time entries as corrected and
 * voided ({@link CareTimeEntries}, P4), the calendar of when time counts ({@link CareCalendar}: zone, stays, death,
 * disenrollment), visits (R9), complexity attestations and care-plan versions (P1, R10), concurrent services (the
 * exclusion matrix), and what has been billed per month (statements and adjustments). The consent, time and calendar
 * parts are the features' own folds, so billing reads the rules they state, not copies.
 * <p>
 * The same fold serves the billing read model (events as the tracking processor delivers them) and the ledger reads
 * of month close and verification. Its result does not depend on how the patient's streams interleave: each stream
 * is applied in its own order and facts from different streams are kept in collections ordered by their own keys.
 * Each fact keeps the {@link EventRef} of the event it came from, so a statement can name and hash them.
 * <p>
 * Immutable: {@link #apply} and {@link #deliver} return the record with the event applied.
 */
public record PatientBillingRecord(Enrollment enrollment, ConsentPeriods<EventRef> consent,
                                   CareTimeEntries<EventRef> entries, CareCalendar<EventRef> calendar,
                                   List<Visit> visits, List<Complexity> complexity, List<Service> services,
                                   SortedMap<Integer, CarePlanVersion> carePlan, SortedMap<String, Billed> billed,
                                   Map<String, Long> sequences, List<Pending> pending) {

    /** The enrollment's facts billing uses (R7 conditions, R14 QMB, R9 whether a visit is needed). */
    public record Enrollment(String enrollmentId, String practiceId, String patientId,
                             boolean qualifiedMedicareBeneficiary, Boolean initiatingVisitRequired,
                             List<Condition> conditions, EventRef ref, String billingLocation) {

        public Enrollment {
            conditions = List.copyOf(conditions);
        }
    }

    public record Condition(String code, boolean qualifies) {
    }

    public record Visit(LocalDate date, VisitType type, Integer emLevel, String npi, boolean comprehensiveCarePlanning,
                        EventRef ref, String baseCode) {
    }

    public record Complexity(YearMonth month, EventRef ref) {
    }

    public record Service(String code, ConcurrentServiceKind kind, YearMonth month, String npi, EventRef ref) {
    }

    public record CarePlanVersion(int version, Instant revisedAt, boolean substantial, Instant sharedWithPatientAt,
                                  EventRef ref) {
    }

    /** What has been billed for a month: the statement, then each adjustment, and the lines now standing. */
    public record Billed(YearMonth month, String statementId, EventRef statementRef, List<String> adjustmentIds,
                         List<StatementLine> lines, String practitioner) {

        public Billed {
            adjustmentIds = List.copyOf(adjustmentIds);
            lines = List.copyOf(lines);
        }
    }

    /** An event kept until its predecessors arrive, in its serialised form. */
    public record Pending(EventRef ref, String type, String payload) {
    }

    /** Turns payloads into text and back, to keep events that arrive early. */
    public interface Codec {
        Pending encode(Object payload, EventRef ref);

        Object decode(Pending pending);
    }

    public PatientBillingRecord {
        visits = List.copyOf(visits);
        complexity = List.copyOf(complexity);
        services = List.copyOf(services);
        carePlan = Collections.unmodifiableSortedMap(new TreeMap<>(carePlan));
        billed = Collections.unmodifiableSortedMap(new TreeMap<>(billed));
        sequences = Map.copyOf(sequences);
        pending = List.copyOf(pending);
    }

    /** Before the patient's first event. */
    public static PatientBillingRecord empty() {
        return new PatientBillingRecord(null, ConsentPeriods.none(), CareTimeEntries.none(), CareCalendar.none(),
                                        List.of(), List.of(), List.of(), new TreeMap<>(), new TreeMap<>(), Map.of(),
                                        List.of());
    }

    /** Whether the record has seen its patient's enrollment. */
    public boolean enrolled() {
        return enrollment != null;
    }

    /** The billing location's zone (P3). */
    public ZoneId timeZone() {
        return calendar.zone();
    }

    public String patientId() {
        return enrollment.patientId();
    }

    /**
     * Delivers one event in whatever order events arrive: sequence numbers of a stream are contiguous from 0, so an
     * event is applied when it is its stream's next one, kept aside when it is early (and applied once the gap
     * fills), and ignored when it was applied before. The result is the fold of every stream in its own order, however
     * the events were delivered and however often. Empty when the event changes nothing.
     */
    public Optional<PatientBillingRecord> deliver(Object payload, EventRef ref, Codec codec) {
        long next = sequences.getOrDefault(ref.aggregateId(), -1L) + 1;
        if (ref.sequence() < next) {
            return Optional.empty();
        }
        if (ref.sequence() > next) {
            if (pending.stream().anyMatch(p -> p.ref().equals(ref))) {
                return Optional.empty();
            }
            List<Pending> kept = new ArrayList<>(pending);
            kept.add(codec.encode(payload, ref));
            return Optional.of(with(kept));
        }
        PatientBillingRecord record = apply(payload, ref);
        Optional<Pending> ready = record.nextPending(ref.aggregateId());
        while (ready.isPresent()) {
            Pending p = ready.get();
            List<Pending> rest = new ArrayList<>(record.pending);
            rest.remove(p);
            record = record.with(rest).apply(codec.decode(p), p.ref());
            ready = record.nextPending(ref.aggregateId());
        }
        return Optional.of(record);
    }

    private Optional<Pending> nextPending(String aggregateId) {
        long following = sequences.getOrDefault(aggregateId, -1L) + 1;
        return pending.stream().filter(p -> p.ref().aggregateId().equals(aggregateId)
                                            && p.ref().sequence() == following).findFirst();
    }

    /**
     * Applies one event of the patient's streams, in stream order. An event already applied (its stream's sequence is
     * not past the last one applied) leaves the record as it is.
     */
    public PatientBillingRecord apply(Object payload, EventRef ref) {
        Long last = sequences.get(ref.aggregateId());
        if (last != null && ref.sequence() <= last) {
            return this;
        }
        Map<String, Long> applied = new HashMap<>(sequences);
        applied.put(ref.aggregateId(), ref.sequence());
        return new Facts(this).fold(payload, ref).build(applied);
    }

    /** The care-plan version in force at {@code instant}, if any was established by then (R10). */
    public Optional<CarePlanVersion> carePlanAt(Instant instant) {
        return carePlan.values().stream().filter(v -> !v.revisedAt().isAfter(instant)).reduce((a, b) -> b);
    }

    /** The months the patient has care time, an initiating visit or a statement in, for the practice-month index. */
    public SortedSet<YearMonth> monthsTouched() {
        SortedSet<YearMonth> touched = new TreeSet<>();
        if (timeZone() == null) {
            return touched;
        }
        for (TimeEntry<EventRef> entry : entries.all()) {
            MonthShare.split(entry.startedAt(), entry.minutes(), timeZone()).forEach(s -> touched.add(s.month()));
        }
        visits.forEach(v -> touched.add(YearMonth.from(v.date())));
        billed.values().forEach(b -> touched.add(b.month()));
        return touched;
    }

    private PatientBillingRecord with(List<Pending> kept) {
        return new PatientBillingRecord(enrollment, consent, entries, calendar, visits, complexity, services,
                                        carePlan, billed, sequences, kept);
    }

    /** The record's parts while one event is folded into them. */
    private static final class Facts {
        private Enrollment enrollment;
        private ConsentPeriods<EventRef> consent;
        private CareTimeEntries<EventRef> entries;
        private CareCalendar<EventRef> calendar;
        private final List<Visit> visits;
        private final List<Complexity> complexity;
        private final List<Service> services;
        private final SortedMap<Integer, CarePlanVersion> carePlan;
        private final SortedMap<String, Billed> billed;
        private final List<Pending> pending;

        Facts(PatientBillingRecord r) {
            enrollment = r.enrollment;
            consent = r.consent;
            entries = r.entries;
            calendar = r.calendar;
            visits = new ArrayList<>(r.visits);
            complexity = new ArrayList<>(r.complexity);
            services = new ArrayList<>(r.services);
            carePlan = new TreeMap<>(r.carePlan);
            billed = new TreeMap<>(r.billed);
            pending = r.pending;
        }

        Facts fold(Object payload, EventRef ref) {
            consent = consent.apply(payload, ref);
            entries = entries.apply(payload, ref);
            calendar = calendar.apply(payload, ref);
            if (payload instanceof PatientEnrolled e) {
                enrollment = new Enrollment(e.enrollmentId().toString(), e.enrollmentId().practiceId().value(),
                                            e.enrollmentId().patientId().value(), e.qualifiedMedicareBeneficiary(),
                                            e.initiatingVisitRequired(),
                                            e.chronicConditions().stream()
                                             .map(c -> new Condition(c.code(), c.qualifies())).toList(), ref,
                                            e.billingLocation());
            } else if (payload instanceof InitiatingVisitRecorded e) {
                visits.add(new Visit(e.visitDate(), e.visitType(), e.emLevel(), e.practitioner().value(),
                                     e.comprehensiveCarePlanning(), ref, e.baseCode()));
            } else if (payload instanceof ComplexityAttested e) {
                complexity.add(new Complexity(e.month(), ref));
            } else if (payload instanceof ConcurrentServiceRecorded e) {
                services.add(new Service(e.code(), e.kind(), e.month(),
                                         e.practitioner() == null ? null : e.practitioner().value(), ref));
            } else if (payload instanceof CarePlanRevised e) {
                carePlan.put(e.version(), new CarePlanVersion(e.version(), e.revisedAt(), e.substantialRevision(),
                                                              e.sharedWithPatientAt(), ref));
            } else if (payload instanceof BillingStatementIssued e) {
                billed.put(e.month().toString(), new Billed(e.month(), e.statementId(), ref, List.of(), e.lines(),
                                                            e.billingPractitioner()));
            } else if (payload instanceof BillingAdjustmentIssued e) {
                billed.computeIfPresent(e.month().toString(), (m, b) -> {
                    List<String> adjustments = new ArrayList<>(b.adjustmentIds());
                    adjustments.add(e.adjustmentId());
                    return new Billed(b.month(), b.statementId(), b.statementRef(), adjustments, e.lines(),
                                      b.practitioner());
                });
            }
            return this;
        }

        PatientBillingRecord build(Map<String, Long> sequences) {
            return new PatientBillingRecord(enrollment, consent, entries, calendar, visits, complexity, services,
                                            carePlan, billed, sequences, pending);
        }
    }
}
