package org.ccmledger.billing.rules;

import java.time.Instant;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.time.YearMonth;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.List;

import org.ccmledger.billing.api.EventRef;
import org.ccmledger.careplan.api.CarePlanId;
import org.ccmledger.careplan.api.CarePlanRevised;
import org.ccmledger.caretime.api.CareActivity;
import org.ccmledger.caretime.api.CareMinutesCorrected;
import org.ccmledger.caretime.api.CareMinutesLogged;
import org.ccmledger.caretime.api.CareMinutesVoided;
import org.ccmledger.caretime.api.Performer;
import org.ccmledger.caretime.api.PerformerRole;
import org.ccmledger.caretime.api.TimeEntryId;
import org.ccmledger.consent.api.ConsentMethod;
import org.ccmledger.consent.api.ConsentRecorded;
import org.ccmledger.consent.api.ConsentRevoked;
import org.ccmledger.consent.api.Disclosures;
import org.ccmledger.patient.BillingPractitionerChanged;
import org.ccmledger.patient.ChronicCondition;
import org.ccmledger.patient.ComplexityAttested;
import org.ccmledger.patient.ConcurrentServiceKind;
import org.ccmledger.patient.ConcurrentServiceRecorded;
import org.ccmledger.patient.EnrollmentId;
import org.ccmledger.patient.InitiatingVisitRecorded;
import org.ccmledger.patient.InpatientStayRecorded;
import org.ccmledger.patient.MedicalDecisionMaking;
import org.ccmledger.patient.Npi;
import org.ccmledger.patient.PatientDied;
import org.ccmledger.patient.PatientEnrolled;
import org.ccmledger.patient.VisitType;

/**
 * A patient's event streams for billing tests: the enrollment stream and the care-plan stream, built with the real
 * event types and sequence numbers, then folded into a {@link PatientBillingRecord} as the projection would.
 */
public final class PatientHistory {

    public static final ZoneId NEW_YORK = ZoneId.of("America/New_York");
    public static final String NPI = "1234567893";
    public static final String OTHER_NPI = "9876543213";
    public static final EnrollmentId ID = EnrollmentId.of("p1", "pt-1");
    public static final ChronicCondition DIABETES = new ChronicCondition("E11.9", "Type 2 diabetes", true, true);
    public static final ChronicCondition HYPERTENSION = new ChronicCondition("I10", "Hypertension", true, true);

    /** One event of one stream. */
    public record Recorded(Object payload, EventRef ref) {
    }

    private final List<Recorded> enrollment = new ArrayList<>();
    private final List<Recorded> carePlan = new ArrayList<>();
    private int entries;

    /** Enrolled with two qualifying conditions, not a QMB, no initiating visit needed; consent on 1 Jan 2025. */
    public static PatientHistory standard() {
        return new PatientHistory()
                .add(new PatientEnrolled(ID, new Npi(NPI), NEW_YORK, List.of(DIABETES, HYPERTENSION), false, false))
                .consent(NPI, at("2025-01-01T09:00"))
                .carePlan(1, at("2025-01-02T10:00"), false);
    }

    public static Instant at(String localDateTime) {
        return LocalDateTime.parse(localDateTime).atZone(NEW_YORK).toInstant();
    }

    public PatientHistory add(Object payload) {
        enrollment.add(new Recorded(payload, new EventRef(ID.toString(), enrollment.size(),
                                                          "ev-" + enrollment.size())));
        return this;
    }

    public PatientHistory consent(String npi, Instant obtainedAt) {
        return add(new ConsentRecorded(ID, ConsentMethod.VERBAL, obtainedAt, "rn-7", new Npi(npi), "doc-1",
                                       new Disclosures(true, true, true, true)));
    }

    public PatientHistory revoke(String npi, Instant revokedAt, Instant effectiveAt) {
        return add(new ConsentRevoked(ID, new Npi(npi), revokedAt, effectiveAt, "patient asked"));
    }

    public PatientHistory changePractitioner(String from, String to, Instant effectiveAt) {
        return add(new BillingPractitionerChanged(ID, new Npi(from), new Npi(to), effectiveAt));
    }

    public PatientHistory log(String entryId, PerformerRole role, Instant startedAt, int minutes) {
        entries++;
        String performer = role == PerformerRole.BILLING_PRACTITIONER ? NPI : "staff-" + entries;
        return add(new CareMinutesLogged(ID, new TimeEntryId(entryId), new Performer(performer, role),
                                         startedAt, minutes, CareActivity.CARE_COORDINATION, "note"));
    }

    public PatientHistory staff(String entryId, String localStart, int minutes) {
        return log(entryId, PerformerRole.CLINICAL_STAFF, at(localStart), minutes);
    }

    public PatientHistory correct(String entryId, Instant previousStart, int previousMinutes, Instant startedAt,
                           int minutes) {
        return add(new CareMinutesCorrected(ID, new TimeEntryId(entryId), previousStart, previousMinutes, startedAt,
                                            minutes, "typo"));
    }

    public PatientHistory voidEntry(String entryId) {
        return add(new CareMinutesVoided(ID, new TimeEntryId(entryId), "wrong patient"));
    }

    public PatientHistory visit(LocalDate date, String npi, boolean comprehensiveCarePlanning) {
        return add(new InitiatingVisitRecorded(ID, date, VisitType.EM, 3, new Npi(npi), comprehensiveCarePlanning,
                                               "99213"));
    }

    public PatientHistory complexity(YearMonth month) {
        return add(new ComplexityAttested(ID, month, MedicalDecisionMaking.HIGH, "dr-who"));
    }

    public PatientHistory service(String code, YearMonth month, String npi) {
        return add(new ConcurrentServiceRecorded(ID, code, ConcurrentServiceKind.of(code).orElseThrow(), month,
                                                 new Npi(npi)));
    }

    public PatientHistory stay(LocalDate admitted, LocalDate discharged) {
        return add(new InpatientStayRecorded(ID, admitted, discharged));
    }

    public PatientHistory died(LocalDate date) {
        return add(new PatientDied(ID, date));
    }

    public PatientHistory carePlan(int version, Instant revisedAt, boolean substantial) {
        CarePlanId id = new CarePlanId(ID);
        carePlan.add(new Recorded(new CarePlanRevised(id, version, revisedAt, "dr-who", substantial, revisedAt,
                                                      List.of("diabetes"), "stable", List.of("HbA1c < 8"), "diet",
                                                      List.of("calls"), "metformin", List.of(), List.of(), "monthly"),
                                  new EventRef(id.toString(), carePlan.size(), "cp-" + carePlan.size())));
        return this;
    }

    /** Both streams, enrollment first. */
    public List<Recorded> events() {
        List<Recorded> all = new ArrayList<>(enrollment);
        all.addAll(carePlan);
        return all;
    }

    public List<Recorded> enrollmentStream() {
        return List.copyOf(enrollment);
    }

    public List<Recorded> carePlanStream() {
        return List.copyOf(carePlan);
    }

    public PatientBillingRecord record() {
        PatientBillingRecord record = PatientBillingRecord.empty();
        for (Recorded e : events()) {
            record = record.apply(e.payload(), e.ref());
        }
        return record;
    }
}
