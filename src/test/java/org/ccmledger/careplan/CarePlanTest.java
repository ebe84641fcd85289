package org.ccmledger.careplan;

import static org.assertj.core.api.Assertions.assertThat;
import static org.hamcrest.Matchers.allOf;
import static org.hamcrest.Matchers.containsString;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.function.UnaryOperator;
import java.util.stream.Stream;

import org.axonframework.test.aggregate.AggregateTestFixture;
import org.axonframework.test.aggregate.FixtureConfiguration;
import org.ccmledger.careplan.api.CarePlanId;
import org.ccmledger.patient.EnrollmentId;
import org.ccmledger.platform.problem.Refusal;
import org.hamcrest.Description;
import org.hamcrest.Matcher;
import org.hamcrest.TypeSafeMatcher;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

class CarePlanTest {

    private static final CarePlanId ID = new CarePlanId(EnrollmentId.of("p1", "pt-1"));
    private static final Instant NOW = Instant.parse("2026-10-15T15:00:00Z");
    private static final Instant ESTABLISHED = Instant.parse("2026-10-01T14:00:00Z");

    private FixtureConfiguration<CarePlan> fixture;

    @BeforeEach
    void setUp() {
        fixture = new AggregateTestFixture<>(CarePlan.class);
    }

    private static CarePlanMother plan(Instant revisedAt) {
        return CarePlanMother.plan(ID, revisedAt);
    }

    private static Matcher<Refusal> refusal(String code, String rule) {
        return new TypeSafeMatcher<>() {
            @Override
            protected boolean matchesSafely(Refusal refusal) {
                return code.equals(refusal.code()) && rule.equals(refusal.rule());
            }

            @Override
            public void describeTo(Description description) {
                description.appendText("a refusal " + code + " under rule " + rule);
            }
        };
    }

    @Test
    void theCarePlanIdNeverCollidesWithTheEnrollmentId() {
        assertThat(ID.toString()).isEqualTo("p1/pt-1/care-plan").isNotEqualTo(ID.enrollmentId().toString());
    }

    @Test
    @DisplayName("R10: the first complete revision establishes the care plan as version 1")
    void theFirstRevisionEstablishesVersionOne() {
        fixture.givenCurrentTime(NOW)
               .when(plan(ESTABLISHED).sharedWithPatientAt(ESTABLISHED.plusSeconds(600)).command())
               .expectSuccessfulHandlerExecution()
               .expectResultMessagePayload(1)
               .expectEvents(plan(ESTABLISHED).sharedWithPatientAt(ESTABLISHED.plusSeconds(600)).revised(1));
    }

    @Test
    @DisplayName("R10, P4: a second revision is version 2 and leaves version 1 as it was")
    void aSecondRevisionIsANewVersion() {
        Instant later = ESTABLISHED.plus(Duration.ofDays(7));
        fixture.givenCurrentTime(NOW)
               .andGiven(plan(ESTABLISHED).revised(1))
               .when(plan(later).substantial().measurableGoals(List.of("HbA1c below 7%")).command())
               .expectSuccessfulHandlerExecution()
               .expectResultMessagePayload(2)
               .expectEvents(plan(later).substantial().measurableGoals(List.of("HbA1c below 7%")).revised(2));
    }

    @Test
    @DisplayName("R10: community resources and coordination may be empty lists")
    void communityResourcesAndCoordinationMayBeEmpty() {
        fixture.givenCurrentTime(NOW)
               .when(plan(ESTABLISHED).communityResources(List.of()).coordination(List.of()).command())
               .expectEvents(plan(ESTABLISHED).communityResources(List.of()).coordination(List.of()).revised(1));
    }

    static Stream<Arguments> incompletePlans() {
        return Stream.of(
                Arguments.of("problems", (UnaryOperator<CarePlanMother>) p -> p.problems(List.of())),
                Arguments.of("expectedOutcome", (UnaryOperator<CarePlanMother>) p -> p.expectedOutcome(" ")),
                Arguments.of("measurableGoals", (UnaryOperator<CarePlanMother>) p -> p.measurableGoals(List.of())),
                Arguments.of("symptomManagement", (UnaryOperator<CarePlanMother>) p -> p.symptomManagement(null)),
                Arguments.of("plannedInterventions",
                             (UnaryOperator<CarePlanMother>) p -> p.plannedInterventions(List.of(""))),
                Arguments.of("medicationManagement", (UnaryOperator<CarePlanMother>) p -> p.medicationManagement("")),
                Arguments.of("communityResources", (UnaryOperator<CarePlanMother>) p -> p.communityResources(null)),
                Arguments.of("coordination", (UnaryOperator<CarePlanMother>) p -> p.coordination(null)),
                Arguments.of("reviewSchedule", (UnaryOperator<CarePlanMother>) p -> p.reviewSchedule("")));
    }

    @ParameterizedTest(name = "R10: a care plan without {0} is refused and writes nothing")
    @MethodSource("incompletePlans")
    void anIncompleteCarePlanIsRefused(String element, UnaryOperator<CarePlanMother> omission) {
        fixture.givenCurrentTime(NOW)
               .when(omission.apply(plan(ESTABLISHED)).command())
               .expectException(refusal("CARE_PLAN_INCOMPLETE", "R10"))
               .expectExceptionMessage(allOf(containsString(element), containsString("R10")))
               .expectNoEvents();
    }

    @Test
    @DisplayName("R10: a revision that leaves out an element of the plan in force is refused too")
    void aLaterIncompleteRevisionIsRefused() {
        fixture.givenCurrentTime(NOW)
               .andGiven(plan(ESTABLISHED).revised(1))
               .when(plan(ESTABLISHED.plusSeconds(60)).measurableGoals(List.of()).command())
               .expectException(refusal("CARE_PLAN_INCOMPLETE", "R10"))
               .expectExceptionMessage(containsString("measurableGoals"))
               .expectNoEvents();
    }

    @Test
    @DisplayName("R10: a care plan cannot be revised in the future")
    void aRevisionInTheFutureIsRefused() {
        fixture.givenCurrentTime(NOW)
               .when(plan(NOW.plus(Duration.ofHours(1))).command())
               .expectException(refusal("CARE_PLAN_IN_FUTURE", "R10"))
               .expectNoEvents();
    }

    @Test
    @DisplayName("R10: a care plan cannot be shared with the patient in the future")
    void sharingInTheFutureIsRefused() {
        fixture.givenCurrentTime(NOW)
               .when(plan(ESTABLISHED).sharedWithPatientAt(NOW.plus(Duration.ofDays(1))).command())
               .expectException(refusal("CARE_PLAN_IN_FUTURE", "R10"))
               .expectNoEvents();
    }

    @Test
    @DisplayName("R10: the copy for the patient cannot be shared before the revision it is a copy of")
    void sharingBeforeTheRevisionIsRefused() {
        fixture.givenCurrentTime(NOW)
               .when(plan(ESTABLISHED).sharedWithPatientAt(ESTABLISHED.minusSeconds(1)).command())
               .expectException(refusal("SHARED_BEFORE_REVISION", "R10"))
               .expectNoEvents();
    }

    @Test
    @DisplayName("P4: a revision dated before the version in force is refused; history is not rewritten")
    void aRevisionBeforeTheVersionInForceIsRefused() {
        fixture.givenCurrentTime(NOW)
               .andGiven(plan(ESTABLISHED).revised(1))
               .when(plan(ESTABLISHED.minusSeconds(1)).command())
               .expectException(refusal("REVISION_BEFORE_VERSION_IN_FORCE", "P4"))
               .expectExceptionMessage(containsString("P4"))
               .expectNoEvents();
    }

    @Test
    @DisplayName("P4: a revision at the same instant as the version in force is a new version")
    void aRevisionAtTheSameInstantIsANewVersion() {
        fixture.givenCurrentTime(NOW)
               .andGiven(plan(ESTABLISHED).revised(1))
               .when(plan(ESTABLISHED).expectedOutcome("Revised prognosis").command())
               .expectResultMessagePayload(2)
               .expectEvents(plan(ESTABLISHED).expectedOutcome("Revised prognosis").revised(2));
    }
}
