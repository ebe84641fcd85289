package org.ccmledger.careplan;

import static org.ccmledger.platform.fhir.FhirR4.concept;
import static org.ccmledger.platform.fhir.FhirR4.dateTime;
import static org.ccmledger.platform.fhir.FhirR4.patient;

import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Objects;
import java.util.UUID;

import org.ccmledger.careplan.api.CarePlanContent;
import org.ccmledger.careplan.api.CarePlanHistory;
import org.ccmledger.careplan.api.CarePlanVersion;
import org.hl7.fhir.r4.model.Annotation;
import org.hl7.fhir.r4.model.Bundle;
import org.hl7.fhir.r4.model.CarePlan;
import org.hl7.fhir.r4.model.CarePlan.CarePlanActivityKind;
import org.hl7.fhir.r4.model.CarePlan.CarePlanActivityStatus;
import org.hl7.fhir.r4.model.CodeableConcept;
import org.hl7.fhir.r4.model.Condition;
import org.hl7.fhir.r4.model.Goal;
import org.hl7.fhir.r4.model.Period;
import org.hl7.fhir.r4.model.Reference;
import org.hl7.fhir.r4.model.StringType;

import ca.uhn.fhir.context.FhirContext;

/**
 * A care plan's history as FHIR R4: a {@code Bundle} of type {@code collection} holding one {@code CarePlan} per
 * version, oldest first, built with HAPI FHIR and encoded as JSON. The output depends on the history alone (no clock,
 * no random ids).
 * <ul>
 *   <li>Every entry is the same resource: its id is a name-based UUID of the practice and patient ids (a patient id
 *       may hold characters FHIR ids do not allow), its {@code fullUrl} {@code urn:uuid:<id>}, and
 *       {@code meta.versionId} the version number.</li>
 *   <li>The latest version is {@code active}; every earlier one is {@code revoked} ("terminated prior to reaching
 *       completion, though it may have been replaced by a new plan") and its {@code period} ends when the next one
 *       was made. ({@code replaces} is not used: a reference to an earlier version of the same resource matches
 *       every entry of the bundle, which the validator reports as an error.)</li>
 *   <li>{@code period.start} is when version 1 established the plan, {@code created} when this version was made,
 *       {@code author} the person who revised it (as a display name).</li>
 *   <li>The R10 elements: problems as contained {@code Condition}s (problem-list items) the plan
 *       {@code addresses}; measurable goals as contained {@code Goal}s; the expected outcome and prognosis as
 *       {@code description}; interventions, symptom and medication management, community resources, coordination
 *       with other providers and the review schedule as {@code activity.detail}, each named by a fixed
 *       {@code code.text} ({@code Planned intervention}, {@code Symptom management}, {@code Medication management},
 *       {@code Community resource}, {@code Coordination with other providers}, {@code Care plan review}; text rather
 *       than a code of our own, which no validator could check) and of status {@code unknown}: the ledger records
 *       what is planned, not its progress.</li>
 *   <li>Whether the version is a substantial revision (P1) and when a copy went to the patient (R10) are
 *       {@code note}s, the latter with that instant as its {@code time}.</li>
 * </ul>
 * The patient is referenced as the claims feed does: by the practice's patient id as an identifier, and as a
 * literal reference only where that id is also a valid FHIR id.
 */
final class FhirCarePlans {

    private static final String CONDITION_CATEGORY = "http://terminology.hl7.org/CodeSystem/condition-category";
    private static final String CONDITION_CLINICAL = "http://terminology.hl7.org/CodeSystem/condition-clinical";
    static final String PLANNED_INTERVENTION = "Planned intervention";
    static final String SYMPTOM_MANAGEMENT = "Symptom management";
    static final String MEDICATION_MANAGEMENT = "Medication management";
    static final String COMMUNITY_RESOURCE = "Community resource";
    static final String COORDINATION = "Coordination with other providers";
    static final String REVIEW = "Care plan review";

    /** Expensive to build, thread-safe once built: one for the whole application. */
    private static final FhirContext FHIR = FhirContext.forR4Cached();

    private FhirCarePlans() {
    }

    /** The history as a FHIR R4 {@code Bundle} of type {@code collection}, pretty-printed JSON. */
    static String bundleJson(CarePlanHistory history) {
        Objects.requireNonNull(history, "history");
        Bundle bundle = new Bundle().setType(Bundle.BundleType.COLLECTION);
        String id = resourceId(history.practiceId(), history.patientId());
        for (int i = 0; i < history.versions().size(); i++) {
            bundle.addEntry().setFullUrl("urn:uuid:" + id).setResource(toResource(history, i));
        }
        return FHIR.newJsonParser().setPrettyPrint(true).encodeResourceToString(bundle);
    }

    /** The id of a patient's care plan in FHIR: a name-based UUID, the same for every version. */
    static String resourceId(String practiceId, String patientId) {
        return UUID.nameUUIDFromBytes(("urn:ccm-ledger:care-plan|" + practiceId + "/" + patientId)
                                              .getBytes(StandardCharsets.UTF_8)).toString();
    }

    /** The {@code CarePlan} of the version at {@code index} of the history. */
    static CarePlan toResource(CarePlanHistory history, int index) {
        List<CarePlanVersion> versions = history.versions();
        CarePlanVersion version = versions.get(index);
        boolean latest = index == versions.size() - 1;
        String id = resourceId(history.practiceId(), history.patientId());
        Reference patient = patient(history.practiceId(), history.patientId());
        CarePlanContent content = version.content();

        CarePlan plan = new CarePlan();
        plan.setId(id);
        plan.getMeta().setVersionId(Integer.toString(version.version()));
        plan.setStatus(latest ? CarePlan.CarePlanStatus.ACTIVE : CarePlan.CarePlanStatus.REVOKED);
        plan.setIntent(CarePlan.CarePlanIntent.PLAN);
        plan.setTitle("Chronic care management care plan, version " + version.version());
        plan.setDescription(content.expectedOutcome());
        plan.setSubject(patient);
        Period period = new Period().setStartElement(dateTime(versions.get(0).revisedAt()));
        if (!latest) {
            period.setEndElement(dateTime(versions.get(index + 1).revisedAt()));
        }
        plan.setPeriod(period);
        plan.setCreatedElement(dateTime(version.revisedAt()));
        plan.setAuthor(new Reference().setDisplay(version.revisedBy()));
        for (int i = 0; i < content.problems().size(); i++) {
            Condition problem = new Condition();
            problem.setId("problem-" + (i + 1));
            problem.addCategory(concept(CONDITION_CATEGORY, "problem-list-item", "Problem List Item"));
            problem.setClinicalStatus(concept(CONDITION_CLINICAL, "active", "Active"));
            problem.setCode(new CodeableConcept().setText(content.problems().get(i)));
            problem.setSubject(patient.copy());
            plan.addContained(problem);
            plan.addAddresses(new Reference("#" + problem.getId()));
        }
        for (int i = 0; i < content.measurableGoals().size(); i++) {
            Goal goal = new Goal();
            goal.setId("goal-" + (i + 1));
            goal.setLifecycleStatus(Goal.GoalLifecycleStatus.ACTIVE);
            goal.setDescription(new CodeableConcept().setText(content.measurableGoals().get(i)));
            goal.setSubject(patient.copy());
            plan.addContained(goal);
            plan.addGoal(new Reference("#" + goal.getId()));
        }
        content.plannedInterventions().forEach(text -> activity(plan, PLANNED_INTERVENTION, null, text));
        activity(plan, SYMPTOM_MANAGEMENT, null, content.symptomManagement());
        activity(plan, MEDICATION_MANAGEMENT, CarePlanActivityKind.MEDICATIONREQUEST, content.medicationManagement());
        content.communityResources().forEach(text -> activity(plan, COMMUNITY_RESOURCE, null, text));
        content.coordination().forEach(text -> activity(plan, COORDINATION, CarePlanActivityKind.SERVICEREQUEST,
                                                        text));
        activity(plan, REVIEW, null, "Review of the care plan")
                .getDetail().setScheduled(new StringType(content.reviewSchedule()));
        plan.addNote(new Annotation().setText(version.version() == 1 ? "Establishes the care plan (R10)."
                : version.substantialRevision() ? "Substantial revision of the care plan."
                : "Revision of the care plan that is not substantial."));
        if (version.sharedWithPatientAt() != null) {
            plan.addNote(new Annotation().setTimeElement(dateTime(version.sharedWithPatientAt()))
                                         .setText("A copy of this version was shared with the patient or "
                                                  + "caregiver (R10)."));
        }
        return plan;
    }

    private static CarePlan.CarePlanActivityComponent activity(CarePlan plan, String element,
                                                               CarePlanActivityKind kind, String description) {
        CarePlan.CarePlanActivityComponent activity = plan.addActivity();
        activity.getDetail()
                .setCode(new CodeableConcept().setText(element))
                .setStatus(CarePlanActivityStatus.UNKNOWN)
                .setDescription(description);
        if (kind != null) {
            activity.getDetail().setKind(kind);
        }
        return activity;
    }
}
