package org.ccmledger.careplan;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Instant;
import java.util.List;

import org.ccmledger.careplan.api.CarePlanContent;
import org.ccmledger.careplan.api.CarePlanHistory;
import org.ccmledger.careplan.api.CarePlanVersion;
import org.ccmledger.support.FhirValidation;
import org.hl7.fhir.r4.model.Annotation;
import org.hl7.fhir.r4.model.Bundle;
import org.hl7.fhir.r4.model.CarePlan;
import org.hl7.fhir.r4.model.Condition;
import org.hl7.fhir.r4.model.Goal;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

class FhirCarePlansTest {

    private static final Instant ESTABLISHED = Instant.parse("2026-10-01T14:00:00Z");
    private static final Instant REVISED = Instant.parse("2026-10-20T16:30:00.250Z");
    private static final Instant SUBSTANTIAL = Instant.parse("2026-11-02T09:00:00Z");

    private static CarePlanContent content(List<String> problems) {
        return new CarePlanContent(problems, "Stable glucose", List.of("HbA1c below 7.5%", "BP below 140/90"),
                                   "Hypoglycaemia plan", List.of("Diabetes education", "Monthly nurse call"),
                                   "Metformin 1000 mg bid", List.of("Meals on wheels"),
                                   List.of("Endocrinology referral"), "Every 3 months");
    }

    private final CarePlanHistory history = new CarePlanHistory("p1", "pt_7", List.of(
            new CarePlanVersion(1, ESTABLISHED, "dr-who", false, ESTABLISHED.plusSeconds(600),
                                content(List.of("Type 2 diabetes", "Hypertension")), null),
            new CarePlanVersion(2, REVISED, "rn-7", false, null, content(List.of("Type 2 diabetes", "Hypertension")),
                                List.of()),
            new CarePlanVersion(3, SUBSTANTIAL, "dr-who", true, SUBSTANTIAL.plusSeconds(60),
                                content(List.of("Type 2 diabetes", "CKD stage 3")), List.of())));

    private Bundle bundle() {
        return FhirValidation.parseBundle(FhirCarePlans.bundleJson(history));
    }

    private List<CarePlan> plans() {
        return bundle().getEntry().stream().map(entry -> (CarePlan) entry.getResource()).toList();
    }

    @Test
    @DisplayName("R10: every version is a CarePlan that passes HAPI's R4 instance validator with no error")
    void everyVersionValidates() {
        FhirValidation.assertValidBundle(FhirCarePlans.bundleJson(history));
        Bundle bundle = bundle();
        assertThat(bundle.getType()).isEqualTo(Bundle.BundleType.COLLECTION);
        assertThat(bundle.getEntry()).hasSize(3);
    }

    @Test
    @DisplayName("P4: one resource, one entry per version oldest first; the latest active, the others revoked")
    void oneResourceWithEveryVersion() {
        String id = FhirCarePlans.resourceId("p1", "pt_7");

        assertThat(bundle().getEntry()).allSatisfy(entry -> assertThat(entry.getFullUrl()).isEqualTo("urn:uuid:" + id));
        assertThat(plans()).extracting(plan -> plan.getIdElement().getIdPart()).containsOnly(id);
        assertThat(plans()).extracting(plan -> plan.getMeta().getVersionId()).containsExactly("1", "2", "3");
        assertThat(plans()).extracting(CarePlan::getStatus).containsExactly(
                CarePlan.CarePlanStatus.REVOKED, CarePlan.CarePlanStatus.REVOKED, CarePlan.CarePlanStatus.ACTIVE);
        assertThat(plans()).extracting(CarePlan::getIntent).containsOnly(CarePlan.CarePlanIntent.PLAN);
        assertThat(id).doesNotContain("pt_7").matches("[A-Za-z0-9\\-.]{1,64}");
    }

    @Test
    @DisplayName("R10: the plan's period starts when version 1 established it; a superseded version ends at the next")
    void periodsCreatedAndAuthors() {
        assertThat(plans()).extracting(plan -> plan.getPeriod().getStartElement().getValueAsString())
                .containsOnly("2026-10-01T14:00:00Z");
        assertThat(plans()).extracting(plan -> plan.getPeriod().getEndElement().getValueAsString())
                .containsExactly("2026-10-20T16:30:00.250Z", "2026-11-02T09:00:00Z", null);
        assertThat(plans()).extracting(plan -> plan.getCreatedElement().getValueAsString())
                .containsExactly("2026-10-01T14:00:00Z", "2026-10-20T16:30:00.250Z", "2026-11-02T09:00:00Z");
        assertThat(plans()).extracting(plan -> plan.getAuthor().getDisplay())
                .containsExactly("dr-who", "rn-7", "dr-who");
    }

    @Test
    @DisplayName("R10: problems, goals, outcome, interventions, management, resources, coordination and review")
    void theElementsOfTheCarePlan() {
        CarePlan latest = plans().get(2);

        assertThat(latest.getDescription()).isEqualTo("Stable glucose");
        assertThat(latest.getAddresses()).extracting(reference -> reference.getReference())
                .containsExactly("#problem-1", "#problem-2");
        assertThat(latest.getContained()).filteredOn(Condition.class::isInstance)
                .extracting(resource -> ((Condition) resource).getCode().getText())
                .containsExactly("Type 2 diabetes", "CKD stage 3");
        assertThat(latest.getContained()).filteredOn(Goal.class::isInstance)
                .extracting(resource -> ((Goal) resource).getDescription().getText())
                .containsExactly("HbA1c below 7.5%", "BP below 140/90");
        assertThat(latest.getActivity()).extracting(a -> a.getDetail().getCode().getText(),
                                                    a -> a.getDetail().getDescription())
                .containsExactly(
                        org.assertj.core.groups.Tuple.tuple(FhirCarePlans.PLANNED_INTERVENTION, "Diabetes education"),
                        org.assertj.core.groups.Tuple.tuple(FhirCarePlans.PLANNED_INTERVENTION, "Monthly nurse call"),
                        org.assertj.core.groups.Tuple.tuple(FhirCarePlans.SYMPTOM_MANAGEMENT, "Hypoglycaemia plan"),
                        org.assertj.core.groups.Tuple.tuple(FhirCarePlans.MEDICATION_MANAGEMENT,
                                                            "Metformin 1000 mg bid"),
                        org.assertj.core.groups.Tuple.tuple(FhirCarePlans.COMMUNITY_RESOURCE, "Meals on wheels"),
                        org.assertj.core.groups.Tuple.tuple(FhirCarePlans.COORDINATION, "Endocrinology referral"),
                        org.assertj.core.groups.Tuple.tuple(FhirCarePlans.REVIEW, "Review of the care plan"));
        assertThat(latest.getActivity().get(6).getDetail().getScheduledStringType().getValue())
                .isEqualTo("Every 3 months");
    }

    @Test
    @DisplayName("R10, P1: notes say whether a version is substantial and when its copy went to the patient")
    void notesForRevisionKindAndSharing() {
        assertThat(plans()).extracting(plan -> plan.getNote().get(0).getText()).containsExactly(
                "Establishes the care plan (R10).", "Revision of the care plan that is not substantial.",
                "Substantial revision of the care plan.");
        assertThat(plans().get(1).getNote()).hasSize(1);
        Annotation shared = plans().get(2).getNote().get(1);
        assertThat(shared.getTimeElement().getValueAsString()).isEqualTo("2026-11-02T09:01:00Z");
        assertThat(shared.getText()).contains("shared with the patient");
    }

    @Test
    @DisplayName("a patient id that is no FHIR id is exported as the identifier of the subject, never as its id")
    void patientIdOutsideTheFhirIdAlphabet() {
        CarePlan plan = plans().get(0);

        assertThat(plan.getSubject().hasReference()).isFalse();
        assertThat(plan.getSubject().getIdentifier().getValue()).isEqualTo("pt_7");
        assertThat(plan.getSubject().getIdentifier().getSystem()).isEqualTo("urn:ccm-ledger:practice:p1:patient-id");
        CarePlan other = (CarePlan) FhirValidation.parseBundle(FhirCarePlans.bundleJson(
                new CarePlanHistory("p1", "pt-7", history.versions()))).getEntryFirstRep().getResource();
        assertThat(other.getSubject().getReference()).isEqualTo("Patient/pt-7");
    }

    @Test
    void theSameHistoryGivesTheSameJson() {
        assertThat(FhirCarePlans.bundleJson(history)).isEqualTo(FhirCarePlans.bundleJson(history));
    }
}
