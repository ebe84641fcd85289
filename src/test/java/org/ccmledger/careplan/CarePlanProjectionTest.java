package org.ccmledger.careplan;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.time.Instant;
import java.time.ZoneId;
import java.util.List;

import org.bson.Document;
import org.ccmledger.careplan.api.CarePlanChange;
import org.ccmledger.careplan.api.CarePlanHistory;
import org.ccmledger.careplan.api.CarePlanId;
import org.ccmledger.careplan.api.CarePlanRevised;
import org.ccmledger.careplan.api.CarePlanView;
import org.ccmledger.careplan.api.CarePlanVersion;
import org.ccmledger.careplan.api.FindCarePlan;
import org.ccmledger.careplan.api.FindCarePlanHistory;
import org.ccmledger.patient.ChronicCondition;
import org.ccmledger.patient.EnrollmentId;
import org.ccmledger.patient.Npi;
import org.ccmledger.patient.PatientEnrolled;
import org.ccmledger.ledger.LedgerFixture;
import org.ccmledger.platform.problem.Refusal;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

class CarePlanProjectionTest {

    private static final EnrollmentId ENROLLMENT = EnrollmentId.of("p1", "pt-1");
    private static final CarePlanId ID = new CarePlanId(ENROLLMENT);
    private static final Instant ESTABLISHED = Instant.parse("2026-10-01T14:00:00Z");
    private static final Instant REVISED = Instant.parse("2026-11-03T09:30:00Z");

    private LedgerFixture store;
    private CarePlanProjection testSubject;

    @BeforeEach
    void setUp() {
        store = LedgerFixture.inMemory();
        testSubject = new CarePlanProjection(store.database());
    }

    @AfterEach
    void tearDown() {
        store.close();
    }

    private static PatientEnrolled enrolled(EnrollmentId id) {
        return new PatientEnrolled(id, new Npi("1234567893"), ZoneId.of("America/New_York"), List.of(
                new ChronicCondition("E11.9", "Type 2 diabetes", true, true),
                new ChronicCondition("I10", "Hypertension", true, true)), false);
    }

    private static CarePlanRevised first() {
        return CarePlanMother.plan(ID, ESTABLISHED).sharedWithPatientAt(ESTABLISHED.plusSeconds(900)).revised(1);
    }

    private static CarePlanRevised second() {
        return CarePlanMother.plan(ID, REVISED).substantial().problems(List.of("Type 2 diabetes", "CKD stage 3"))
                             .coordination(List.of()).revised(2);
    }

    private CarePlanView find() {
        return testSubject.handle(new FindCarePlan(ENROLLMENT));
    }

    private long versionDocuments() {
        return store.database().getCollection("rm_care_plan_versions").countDocuments();
    }

    @Test
    void onlyEnrolledPatientsAreKnown() {
        testSubject.on(enrolled(ENROLLMENT));

        assertThat(testSubject.handle(new CarePlanPatientKnown(ENROLLMENT))).isTrue();
        assertThat(testSubject.handle(new CarePlanPatientKnown(EnrollmentId.of("p2", "pt-1")))).isFalse();
    }

    @Test
    @DisplayName("R10: the first revision is the plan in force, established at its revisedAt")
    void theFirstRevisionEstablishesThePlan() {
        testSubject.on(first());

        CarePlanView view = find();
        assertThat(view.practiceId()).isEqualTo("p1");
        assertThat(view.patientId()).isEqualTo("pt-1");
        assertThat(view.version()).isEqualTo(1);
        assertThat(view.versions()).isEqualTo(1);
        assertThat(view.establishedAt()).isEqualTo(ESTABLISHED);
        assertThat(view.revisedAt()).isEqualTo(ESTABLISHED);
        assertThat(view.sharedWithPatientAt()).isEqualTo(ESTABLISHED.plusSeconds(900));
        assertThat(view.substantialRevision()).isFalse();
        CarePlanRevised event = first();
        assertThat(view.problems()).isEqualTo(event.problems());
        assertThat(view.expectedOutcome()).isEqualTo(event.expectedOutcome());
        assertThat(view.measurableGoals()).isEqualTo(event.measurableGoals());
        assertThat(view.symptomManagement()).isEqualTo(event.symptomManagement());
        assertThat(view.plannedInterventions()).isEqualTo(event.plannedInterventions());
        assertThat(view.medicationManagement()).isEqualTo(event.medicationManagement());
        assertThat(view.communityResources()).isEqualTo(event.communityResources());
        assertThat(view.coordination()).isEqualTo(event.coordination());
        assertThat(view.reviewSchedule()).isEqualTo(event.reviewSchedule());
        assertThat(view.revisedBy()).isEqualTo(event.revisedBy());
    }

    @Test
    @DisplayName("P4: a second revision is in force and the first is kept as it was")
    void aSecondRevisionKeepsTheFirst() {
        testSubject.on(first());
        testSubject.on(second());

        CarePlanView view = find();
        assertThat(view.version()).isEqualTo(2);
        assertThat(view.versions()).isEqualTo(2);
        assertThat(view.establishedAt()).isEqualTo(ESTABLISHED);
        assertThat(view.revisedAt()).isEqualTo(REVISED);
        assertThat(view.substantialRevision()).isTrue();
        assertThat(view.sharedWithPatientAt()).isNull();
        assertThat(view.problems()).containsExactly("Type 2 diabetes", "CKD stage 3");
        assertThat(view.coordination()).isEmpty();

        Document kept = store.database().getCollection("rm_care_plan_versions")
                             .find(new Document("_id", "p1/pt-1|v1")).first();
        assertThat(kept).isNotNull();
        assertThat(kept.getString("revisedAt")).isEqualTo(ESTABLISHED.toString());
        assertThat(kept.getList("problems", String.class)).isEqualTo(first().problems());
    }

    @Test
    void redeliveredEventsGiveTheSameState() {
        testSubject.on(enrolled(ENROLLMENT));
        testSubject.on(first());
        testSubject.on(second());
        CarePlanView once = find();

        testSubject.on(enrolled(ENROLLMENT));
        testSubject.on(first());
        testSubject.on(second());
        testSubject.on(first());

        assertThat(find()).isEqualTo(once);
        assertThat(versionDocuments()).isEqualTo(2);
        assertThat(store.database().getCollection("rm_careplan_patients").countDocuments()).isEqualTo(1);
    }

    @Test
    void aPatientWithoutACarePlanHasNone() {
        testSubject.on(enrolled(ENROLLMENT));

        Refusal refusal = assertThrows(Refusal.class, this::find);
        assertThat(refusal.code()).isEqualTo("NO_CARE_PLAN");
        assertThat(refusal.kind()).isEqualTo(Refusal.Kind.NOT_FOUND);
    }

    @Test
    void aResetEmptiesTheReadModel() {
        testSubject.on(enrolled(ENROLLMENT));
        testSubject.on(first());

        testSubject.reset();

        assertThrows(Refusal.class, this::find);
        assertThat(testSubject.handle(new CarePlanPatientKnown(ENROLLMENT))).isFalse();
        assertThat(versionDocuments()).isZero();
    }

    private CarePlanHistory history() {
        return testSubject.handle(new FindCarePlanHistory(ENROLLMENT));
    }

    private static CarePlanRevised third() {
        return CarePlanMother.plan(ID, REVISED.plusSeconds(3600)).problems(List.of("CKD stage 3", "Type 2 diabetes"))
                             .coordination(List.of()).expectedOutcome("Kidney function preserved").revised(3);
    }

    @Test
    @DisplayName("R10, P4: the history has every version oldest first, version 1 without a diff")
    void theHistoryHasEveryVersionWithItsDiff() {
        testSubject.on(enrolled(ENROLLMENT));
        testSubject.on(first());
        testSubject.on(second());
        testSubject.on(third());

        CarePlanHistory history = history();
        assertThat(history.practiceId()).isEqualTo("p1");
        assertThat(history.patientId()).isEqualTo("pt-1");
        assertThat(history.versions()).extracting(CarePlanVersion::version).containsExactly(1, 2, 3);
        CarePlanVersion established = history.versions().get(0);
        assertThat(established.diff()).isNull();
        assertThat(established.revisedAt()).isEqualTo(ESTABLISHED);
        assertThat(established.sharedWithPatientAt()).isEqualTo(ESTABLISHED.plusSeconds(900));
        assertThat(established.revisedBy()).isEqualTo("dr-who");
        assertThat(established.substantialRevision()).isFalse();
        assertThat(established.content().problems()).isEqualTo(first().problems());
        assertThat(established.content().reviewSchedule()).isEqualTo(first().reviewSchedule());
        assertThat(history.versions().get(1).substantialRevision()).isTrue();
        assertThat(history.versions().get(1).diff()).containsExactly(
                new CarePlanChange.Items("problems", List.of("Type 2 diabetes", "CKD stage 3"),
                                         List.of("Type 2 diabetes, HbA1c 8.9%", "Hypertension")),
                new CarePlanChange.Items("coordination", List.of(), List.of("Endocrinology referral")));
        assertThat(history.versions().get(2).diff()).containsExactly(
                new CarePlanChange.Text("expectedOutcome", first().expectedOutcome(), "Kidney function preserved"));
    }

    @Test
    @DisplayName("P4: a version delivered late hides the later ones until it arrives, and redelivery changes nothing")
    void aLateVersionHidesTheLaterOnesUntilItArrives() {
        testSubject.on(first());
        testSubject.on(third());

        assertThat(history().versions()).extracting(CarePlanVersion::version).containsExactly(1);

        testSubject.on(second());
        CarePlanHistory complete = history();
        testSubject.on(first());
        testSubject.on(third());

        assertThat(complete.versions()).extracting(CarePlanVersion::version).containsExactly(1, 2, 3);
        assertThat(history()).isEqualTo(complete);
    }

    @Test
    void theHistoryOfAnUnknownPatientOrOfOneWithoutAPlanIsNotFound() {
        testSubject.on(enrolled(ENROLLMENT));

        Refusal noPlan = assertThrows(Refusal.class, this::history);
        Refusal unknown = assertThrows(Refusal.class, () -> testSubject.handle(
                new FindCarePlanHistory(EnrollmentId.of("p1", "nobody"))));

        assertThat(noPlan.kind()).isEqualTo(Refusal.Kind.NOT_FOUND);
        assertThat(noPlan.code()).isEqualTo("NO_CARE_PLAN");
        assertThat(unknown.kind()).isEqualTo(Refusal.Kind.NOT_FOUND);
        assertThat(unknown.code()).isEqualTo("UNKNOWN_PATIENT");
        assertThat(unknown.getMessage()).doesNotContain("nobody");
    }
}
