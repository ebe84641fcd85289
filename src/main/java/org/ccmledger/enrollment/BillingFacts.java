package org.ccmledger.enrollment;

import java.util.HashSet;
import java.util.Set;

import org.ccmledger.patient.AttestComplexity;
import org.ccmledger.patient.ComplexityAttested;
import org.ccmledger.patient.ConcurrentServiceKind;
import org.ccmledger.patient.ConcurrentServiceRecorded;
import org.ccmledger.patient.InitiatingVisitRecorded;
import org.ccmledger.patient.InpatientStayRecorded;
import org.ccmledger.patient.Npi;
import org.ccmledger.patient.RecordConcurrentService;
import org.ccmledger.patient.RecordInitiatingVisit;
import org.ccmledger.patient.RecordInpatientStay;
import org.ccmledger.patient.VisitType;
import org.ccmledger.platform.problem.Refusal;

/**
 * The facts of a patient's record that billing decides with: initiating visits (R9), complexity attestations (P1),
 * services billed next to CCM, inpatient stays (R4). Part of the {@link PatientEnrollment} aggregate: it decides
 * which event a command gives, or refuses it, and keeps the state those decisions need.
 */
final class BillingFacts {

    private boolean comprehensiveCarePlanningBilled;
    private final Set<String> complexityMonths = new HashSet<>();

    /** R9: E/M level 2–5 or no level, by the billing practitioner responsible that day, G0506 once. */
    InitiatingVisitRecorded initiatingVisit(RecordInitiatingVisit command, Npi responsible) {
        boolean levelRequired = command.visitType() == VisitType.EM;
        Integer level = command.emLevel();
        if (levelRequired ? level == null || level < 2 || level > 5 : level != null) {
            throw Refusal.rule("INVALID_VISIT_LEVEL", "R9",
                               "an E/M initiating visit has level 2-5; AWV, IPPE and TCM visits have none (R9)");
        }
        if (!command.practitioner().equals(responsible)) {
            throw Refusal.rule("VISIT_NOT_BY_BILLING_PRACTITIONER", "R9",
                               "the initiating visit must be furnished by the billing practitioner (R9)");
        }
        if (command.comprehensiveCarePlanning() && comprehensiveCarePlanningBilled) {
            throw Refusal.rule("G0506_ALREADY_BILLED", "R9",
                               "G0506 comprehensive care planning is billed once per patient, at initiation (R9)");
        }
        if (command.comprehensiveCarePlanning() && command.baseCode() == null) {
            throw Refusal.rule("BASE_CODE_REQUIRED", "R9", "G0506 is an add-on to the visit's own code: name the "
                                                           + "visit's baseCode (E/M, AWV or IPPE)");
        }
        if (command.baseCode() != null && !baseCodes(command.visitType(), level).contains(command.baseCode())) {
            throw Refusal.rule("INVALID_BASE_CODE", "R9", "a " + command.visitType() + " visit"
                                                          + (level == null ? "" : " of level " + level)
                                                          + " is billed as one of " + baseCodes(command.visitType(),
                                                                                                level));
        }
        return new InitiatingVisitRecorded(command.enrollmentId(), command.visitDate(), command.visitType(), level,
                                           command.practitioner(), command.comprehensiveCarePlanning(),
                                           command.baseCode());
    }

    /**
     * R9: the codes a visit is billed as: an E/M of level L is 9920L (new patient) or 9921L (established), an AWV
     * G0438 (initial) or G0439 (subsequent), an IPPE G0402, a TCM visit 99495 or 99496.
     */
    static java.util.List<String> baseCodes(VisitType type, Integer level) {
        return switch (type) {
            case EM -> java.util.List.of("9920" + level, "9921" + level);
            case AWV -> java.util.List.of("G0438", "G0439");
            case IPPE -> java.util.List.of("G0402");
            case TCM -> java.util.List.of("99495", "99496");
        };
    }

    /** P1: one attestation per month. */
    ComplexityAttested complexity(AttestComplexity command) {
        if (complexityMonths.contains(command.month().toString())) {
            throw Refusal.conflict("COMPLEXITY_ALREADY_ATTESTED", "complexity is already attested for this month");
        }
        return new ComplexityAttested(command.enrollmentId(), command.month(), command.medicalDecisionMaking(),
                                      command.attestedBy());
    }

    /** Only services the CCM exclusion rules know (R5, the exclusion matrix). */
    ConcurrentServiceRecorded concurrentService(RecordConcurrentService command) {
        ConcurrentServiceKind kind = ConcurrentServiceKind.of(command.code()).orElseThrow(
                () -> Refusal.rule("UNKNOWN_SERVICE_CODE", "R5",
                                   "not a service code the CCM exclusion rules know (TCM, PCM, APCM, G0181/G0182, "
                                           + "ESRD, RPM, BHI)"));
        return new ConcurrentServiceRecorded(command.enrollmentId(), command.code(), kind, command.month(),
                                             command.practitioner());
    }

    /** R4: a stay runs from admission to discharge. */
    InpatientStayRecorded inpatientStay(RecordInpatientStay command) {
        if (command.dischargedOn().isBefore(command.admittedOn())) {
            throw Refusal.rule("INVALID_STAY", "R4", "discharge cannot precede admission");
        }
        return new InpatientStayRecorded(command.enrollmentId(), command.admittedOn(), command.dischargedOn());
    }

    void apply(Object event) {
        if (event instanceof InitiatingVisitRecorded e) {
            comprehensiveCarePlanningBilled |= e.comprehensiveCarePlanning();
        } else if (event instanceof ComplexityAttested e) {
            complexityMonths.add(e.month().toString());
        }
    }
}
