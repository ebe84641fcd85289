package org.ccmledger.careplan;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;

import org.ccmledger.careplan.api.CarePlanChange;
import org.ccmledger.careplan.api.CarePlanContent;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

class CarePlanDiffTest {

    private static final CarePlanContent PLAN = new CarePlanContent(
            List.of("Type 2 diabetes", "Hypertension"), "Stable glucose", List.of("HbA1c below 7.5%"),
            "Hypoglycaemia plan", List.of("Diabetes education", "Monthly nurse call"), "Metformin",
            List.of("Meals on wheels"), List.of(), "Every 3 months");

    private static CarePlanContent with(List<String> problems, String expectedOutcome,
                                        List<String> plannedInterventions, List<String> coordination) {
        return new CarePlanContent(problems, expectedOutcome, PLAN.measurableGoals(), PLAN.symptomManagement(),
                                   plannedInterventions, PLAN.medicationManagement(), PLAN.communityResources(),
                                   coordination, PLAN.reviewSchedule());
    }

    @Test
    void theSameContentHasNoChange() {
        assertThat(CarePlanDiff.between(PLAN, PLAN)).isEmpty();
    }

    @Test
    @DisplayName("R10: a text element that changed gives its value before and after")
    void aChangedTextGivesBeforeAndAfter() {
        CarePlanContent revised = with(PLAN.problems(), "HbA1c stable, BP controlled", PLAN.plannedInterventions(),
                                       PLAN.coordination());

        assertThat(CarePlanDiff.between(PLAN, revised)).containsExactly(
                new CarePlanChange.Text("expectedOutcome", "Stable glucose", "HbA1c stable, BP controlled"));
    }

    @Test
    @DisplayName("R10: a list element gives the items added and removed, in element order, unchanged ones left out")
    void listsGiveAddedAndRemovedItems() {
        CarePlanContent revised = with(List.of("Type 2 diabetes", "CKD stage 3"), PLAN.expectedOutcome(),
                                       PLAN.plannedInterventions(), List.of("Nephrology", "Endocrinology"));

        assertThat(CarePlanDiff.between(PLAN, revised)).containsExactly(
                new CarePlanChange.Items("problems", List.of("CKD stage 3"), List.of("Hypertension")),
                new CarePlanChange.Items("coordination", List.of("Nephrology", "Endocrinology"), List.of()));
        assertThat(CarePlanDiff.between(revised, PLAN)).containsExactly(
                new CarePlanChange.Items("problems", List.of("Hypertension"), List.of("CKD stage 3")),
                new CarePlanChange.Items("coordination", List.of(), List.of("Nephrology", "Endocrinology")));
    }

    @Test
    void reorderingAListIsNoChange() {
        CarePlanContent reordered = with(List.of("Hypertension", "Type 2 diabetes"), PLAN.expectedOutcome(),
                                         List.of("Monthly nurse call", "Diabetes education"), PLAN.coordination());

        assertThat(CarePlanDiff.between(PLAN, reordered)).isEmpty();
    }

    @Test
    @DisplayName("repeated items count: one more copy is added, one fewer is removed")
    void repeatedItemsCount() {
        CarePlanContent twice = with(PLAN.problems(), PLAN.expectedOutcome(),
                                     List.of("Monthly nurse call", "Diabetes education", "Monthly nurse call"),
                                     PLAN.coordination());
        CarePlanContent once = with(PLAN.problems(), PLAN.expectedOutcome(), List.of("Monthly nurse call"),
                                    PLAN.coordination());

        assertThat(CarePlanDiff.between(PLAN, twice)).containsExactly(
                new CarePlanChange.Items("plannedInterventions", List.of("Monthly nurse call"), List.of()));
        assertThat(CarePlanDiff.between(twice, once)).containsExactly(
                new CarePlanChange.Items("plannedInterventions", List.of(),
                                         List.of("Diabetes education", "Monthly nurse call")));
    }

    @Test
    void surplusKeepsTheOrderOfTheFirstList() {
        assertThat(CarePlanDiff.surplus(List.of("c", "a", "b", "a", "c"), List.of("a", "c")))
                .containsExactly("b", "a", "c");
    }
}
