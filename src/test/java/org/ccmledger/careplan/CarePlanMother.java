package org.ccmledger.careplan;

import java.time.Instant;
import java.util.List;

import org.ccmledger.careplan.api.CarePlanId;
import org.ccmledger.careplan.api.CarePlanRevised;
import org.ccmledger.careplan.api.ReviseCarePlan;

/** A complete care plan (R10) as a command, its event and an HTTP request body, with variations. */
final class CarePlanMother {

    private CarePlanId carePlanId;
    private Instant revisedAt;
    private String revisedBy = "dr-who";
    private boolean substantialRevision;
    private Instant sharedWithPatientAt;
    private List<String> problems = List.of("Type 2 diabetes, HbA1c 8.9%", "Hypertension");
    private String expectedOutcome = "Stable glucose and blood pressure; prognosis good with adherence";
    private List<String> measurableGoals = List.of("HbA1c below 7.5% by June", "BP below 140/90 at each visit");
    private String symptomManagement = "Hypoglycaemia plan; home BP log reviewed weekly";
    private List<String> plannedInterventions = List.of("Diabetes education", "Monthly nurse call");
    private String medicationManagement = "Metformin 1000 mg bid; lisinopril 10 mg daily; reconcile monthly";
    private List<String> communityResources = List.of("Meals on wheels");
    private List<String> coordination = List.of("Endocrinology referral");
    private String reviewSchedule = "Every 3 months or after any hospital stay";

    private CarePlanMother(CarePlanId carePlanId, Instant revisedAt) {
        this.carePlanId = carePlanId;
        this.revisedAt = revisedAt;
    }

    static CarePlanMother plan(CarePlanId carePlanId, Instant revisedAt) {
        return new CarePlanMother(carePlanId, revisedAt);
    }

    CarePlanMother revisedAt(Instant value) {
        revisedAt = value;
        return this;
    }

    CarePlanMother revisedBy(String value) {
        revisedBy = value;
        return this;
    }

    CarePlanMother substantial() {
        substantialRevision = true;
        return this;
    }

    CarePlanMother sharedWithPatientAt(Instant value) {
        sharedWithPatientAt = value;
        return this;
    }

    CarePlanMother problems(List<String> value) {
        problems = value;
        return this;
    }

    CarePlanMother expectedOutcome(String value) {
        expectedOutcome = value;
        return this;
    }

    CarePlanMother measurableGoals(List<String> value) {
        measurableGoals = value;
        return this;
    }

    CarePlanMother symptomManagement(String value) {
        symptomManagement = value;
        return this;
    }

    CarePlanMother plannedInterventions(List<String> value) {
        plannedInterventions = value;
        return this;
    }

    CarePlanMother medicationManagement(String value) {
        medicationManagement = value;
        return this;
    }

    CarePlanMother communityResources(List<String> value) {
        communityResources = value;
        return this;
    }

    CarePlanMother coordination(List<String> value) {
        coordination = value;
        return this;
    }

    CarePlanMother reviewSchedule(String value) {
        reviewSchedule = value;
        return this;
    }

    ReviseCarePlan command() {
        return new ReviseCarePlan(carePlanId, revisedAt, revisedBy, substantialRevision, sharedWithPatientAt,
                                  problems, expectedOutcome, measurableGoals, symptomManagement,
                                  plannedInterventions, medicationManagement, communityResources, coordination,
                                  reviewSchedule);
    }

    CarePlanRevised revised(int version) {
        return new CarePlanRevised(carePlanId, version, revisedAt, revisedBy, substantialRevision,
                                   sharedWithPatientAt, problems, expectedOutcome, measurableGoals,
                                   symptomManagement, plannedInterventions, medicationManagement,
                                   communityResources, coordination, reviewSchedule);
    }

    /** The HTTP request body with exactly the contract's field names. */
    String json() {
        return """
                {"revisedAt":%s,"revisedBy":%s,"substantialRevision":%s,"sharedWithPatientAt":%s,
                 "problems":%s,"expectedOutcome":%s,"measurableGoals":%s,"symptomManagement":%s,
                 "plannedInterventions":%s,"medicationManagement":%s,"communityResources":%s,"coordination":%s,
                 "reviewSchedule":%s}"""
                .formatted(json(revisedAt), json(revisedBy), substantialRevision, json(sharedWithPatientAt),
                           json(problems), json(expectedOutcome), json(measurableGoals), json(symptomManagement),
                           json(plannedInterventions), json(medicationManagement), json(communityResources),
                           json(coordination), json(reviewSchedule));
    }

    private static String json(Object value) {
        if (value == null) {
            return "null";
        }
        if (value instanceof List<?> list) {
            return "[" + String.join(",", list.stream().map(CarePlanMother::json).toList()) + "]";
        }
        return "\"" + value.toString().replace("\\", "\\\\").replace("\"", "\\\"") + "\"";
    }
}
