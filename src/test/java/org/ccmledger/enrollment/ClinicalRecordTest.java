package org.ccmledger.enrollment;

import java.time.Instant;
import java.time.LocalDate;
import java.time.YearMonth;
import java.time.ZoneId;
import java.util.List;

import org.axonframework.test.aggregate.AggregateTestFixture;
import org.axonframework.test.aggregate.FixtureConfiguration;
import org.ccmledger.patient.AttestComplexity;
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
import org.ccmledger.patient.PatientEnrolled;
import org.ccmledger.patient.RecordConcurrentService;
import org.ccmledger.patient.RecordInitiatingVisit;
import org.ccmledger.patient.RecordInpatientStay;
import org.ccmledger.patient.VisitType;
import org.ccmledger.platform.problem.Refusal;
import org.hamcrest.Matchers;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

/** The facts billing decides with, recorded on the enrollment aggregate. */
class ClinicalRecordTest {

    /** The ICD-10-CM editions shipped with the service (R7). */
    static final org.ccmledger.codeset.api.DiagnosisCodes SHIPPED_CODES =
            org.ccmledger.codeset.Icd10CodeSets.shippedOnly();

    private static final EnrollmentId ID = EnrollmentId.of("p1", "pt-1");
    private static final Npi NPI = new Npi("1234567893");
    private static final Npi OTHER = new Npi("1245319599");
    private static final Instant NOW = Instant.parse("2026-10-15T15:00:00Z");
    private static final LocalDate VISIT = LocalDate.parse("2026-10-01");

    private FixtureConfiguration<PatientEnrollment> fixture;

    @BeforeEach
    void setUp() {
        fixture = new AggregateTestFixture<>(PatientEnrollment.class);
        fixture.registerInjectableResource(SHIPPED_CODES);
    }

    private static PatientEnrolled enrolled() {
        return new PatientEnrolled(ID, NPI, ZoneId.of("America/New_York"), List.of(
                new ChronicCondition("E11.9", "Type 2 diabetes", true, true),
                new ChronicCondition("I10", "Hypertension", true, true)), false);
    }

    private static RecordInitiatingVisit visit(VisitType type, Integer level, Npi by, boolean g0506) {
        return new RecordInitiatingVisit(ID, VISIT, type, level, by, g0506, g0506 ? "9921" + level : null);
    }

    @Test
    @DisplayName("R9: an E/M level 2-5 visit by the billing practitioner, with G0506, is recorded")
    void anInitiatingVisitIsRecorded() {
        fixture.givenCurrentTime(NOW).andGiven(enrolled())
               .when(visit(VisitType.EM, 4, NPI, true))
               .expectEvents(new InitiatingVisitRecorded(ID, VISIT, VisitType.EM, 4, NPI, true, "99214"));
    }

    @Test
    @DisplayName("R9: G0506 rides on the visit's base code, which must fit the visit (E/M level, AWV, IPPE)")
    void g0506NeedsTheVisitsBaseCode() {
        fixture.givenCurrentTime(NOW).andGiven(enrolled())
               .when(new RecordInitiatingVisit(ID, VISIT, VisitType.EM, 4, NPI, true, null))
               .expectException(Refusal.class).expectExceptionMessage(Matchers.containsString("baseCode"))
               .expectNoEvents();
        fixture.givenCurrentTime(NOW).andGiven(enrolled())
               .when(new RecordInitiatingVisit(ID, VISIT, VisitType.EM, 4, NPI, true, "99213"))
               .expectException(Refusal.class).expectExceptionMessage(Matchers.containsString("[99204, 99214]"))
               .expectNoEvents();
        fixture.givenCurrentTime(NOW).andGiven(enrolled())
               .when(new RecordInitiatingVisit(ID, VISIT, VisitType.AWV, null, NPI, true, "G0438"))
               .expectEvents(new InitiatingVisitRecorded(ID, VISIT, VisitType.AWV, null, NPI, true, "G0438"));
        fixture.givenCurrentTime(NOW).andGiven(enrolled())
               .when(new RecordInitiatingVisit(ID, VISIT, VisitType.IPPE, null, NPI, true, "G0438"))
               .expectException(Refusal.class).expectExceptionMessage(Matchers.containsString("G0402"))
               .expectNoEvents();
    }

    @Test
    @DisplayName("R9: an E/M visit needs level 2-5; AWV, IPPE and TCM have no level")
    void visitLevelsFollowR9() {
        fixture.givenCurrentTime(NOW).andGiven(enrolled()).when(visit(VisitType.EM, 1, NPI, false))
               .expectException(Refusal.class).expectExceptionMessage(Matchers.containsString("R9")).expectNoEvents();
        fixture.givenCurrentTime(NOW).andGiven(enrolled()).when(visit(VisitType.EM, null, NPI, false))
               .expectException(Refusal.class).expectNoEvents();
        fixture.givenCurrentTime(NOW).andGiven(enrolled()).when(visit(VisitType.AWV, 3, NPI, false))
               .expectException(Refusal.class).expectNoEvents();
        fixture.givenCurrentTime(NOW).andGiven(enrolled()).when(visit(VisitType.IPPE, null, NPI, false))
               .expectEvents(new InitiatingVisitRecorded(ID, VISIT, VisitType.IPPE, null, NPI, false));
    }

    @Test
    @DisplayName("R9: the initiating visit is furnished by the billing practitioner of that day")
    void aVisitByAnotherPractitionerIsRefused() {
        fixture.givenCurrentTime(NOW).andGiven(enrolled()).when(visit(VisitType.AWV, null, OTHER, false))
               .expectException(Refusal.class).expectNoEvents();
        fixture.givenCurrentTime(NOW)
               .andGiven(enrolled(), new BillingPractitionerChanged(ID, NPI, OTHER, Instant.parse("2026-09-01T04:00:00Z")))
               .when(visit(VisitType.AWV, null, OTHER, false))
               .expectSuccessfulHandlerExecution();
    }

    @Test
    @DisplayName("R9: G0506 is billed once per patient")
    void g0506OnlyOnce() {
        fixture.givenCurrentTime(NOW)
               .andGiven(enrolled(), new InitiatingVisitRecorded(ID, VISIT, VisitType.EM, 3, NPI, true))
               .when(new RecordInitiatingVisit(ID, VISIT.plusDays(5), VisitType.EM, 3, NPI, true))
               .expectException(Refusal.class).expectNoEvents();
    }

    @Test
    void aVisitInTheFutureIsRefused() {
        fixture.givenCurrentTime(NOW).andGiven(enrolled())
               .when(new RecordInitiatingVisit(ID, LocalDate.parse("2026-12-01"), VisitType.TCM, null, NPI, false))
               .expectException(Refusal.class).expectNoEvents();
    }

    @Test
    @DisplayName("P1/R1: moderate or high MDM is attested once per month, not for a month to come")
    void complexityIsAttestedPerMonth() {
        AttestComplexity october = new AttestComplexity(ID, YearMonth.of(2026, 10), MedicalDecisionMaking.HIGH, "dr-lee");
        fixture.givenCurrentTime(NOW).andGiven(enrolled()).when(october)
               .expectEvents(new ComplexityAttested(ID, YearMonth.of(2026, 10), MedicalDecisionMaking.HIGH, "dr-lee"));
        fixture.givenCurrentTime(NOW)
               .andGiven(enrolled(), new ComplexityAttested(ID, YearMonth.of(2026, 10), MedicalDecisionMaking.HIGH,
                                                            "dr-lee"))
               .when(october).expectException(Refusal.class).expectNoEvents();
        fixture.givenCurrentTime(NOW).andGiven(enrolled())
               .when(new AttestComplexity(ID, YearMonth.of(2026, 11), MedicalDecisionMaking.MODERATE, "dr-lee"))
               .expectException(Refusal.class).expectNoEvents();
    }

    @Test
    @DisplayName("R5/R16: a concurrent service is recorded with its kind; unknown codes are refused")
    void concurrentServicesAreRecordedByKind() {
        fixture.givenCurrentTime(NOW).andGiven(enrolled())
               .when(new RecordConcurrentService(ID, "G0557", YearMonth.of(2026, 10), OTHER))
               .expectEvents(new ConcurrentServiceRecorded(ID, "G0557", ConcurrentServiceKind.APCM,
                                                           YearMonth.of(2026, 10), OTHER));
        fixture.givenCurrentTime(NOW).andGiven(enrolled())
               .when(new RecordConcurrentService(ID, "99213", YearMonth.of(2026, 10), OTHER))
               .expectException(Refusal.class).expectNoEvents();
    }

    @Test
    @DisplayName("R4: an inpatient stay is recorded; discharge before admission is refused")
    void inpatientStays() {
        fixture.givenCurrentTime(NOW).andGiven(enrolled())
               .when(new RecordInpatientStay(ID, LocalDate.parse("2026-10-03"), LocalDate.parse("2026-10-07")))
               .expectEvents(new InpatientStayRecorded(ID, LocalDate.parse("2026-10-03"), LocalDate.parse("2026-10-07")));
        fixture.givenCurrentTime(NOW).andGiven(enrolled())
               .when(new RecordInpatientStay(ID, LocalDate.parse("2026-10-07"), LocalDate.parse("2026-10-03")))
               .expectException(Refusal.class).expectNoEvents();
    }

    @Test
    void anUnknownPatientIsRefused() {
        fixture.givenNoPriorActivity()
               .when(new RecordInpatientStay(ID, LocalDate.parse("2026-10-03"), LocalDate.parse("2026-10-07")))
               .expectException(Exception.class).expectNoEvents();
    }
}
