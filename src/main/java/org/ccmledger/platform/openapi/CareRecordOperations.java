package org.ccmledger.platform.openapi;

import static org.ccmledger.platform.openapi.ApiOperation.get;
import static org.ccmledger.platform.openapi.ApiOperation.post;
import static org.ccmledger.platform.openapi.ApiOperation.put;
import static org.ccmledger.platform.openapi.ApiOperations.PATIENT;
import static org.ccmledger.platform.openapi.ApiOperations.PRACTICE;
import static org.ccmledger.platform.openapi.ApiVocabulary.CARE_PLANS;
import static org.ccmledger.platform.openapi.ApiVocabulary.CARE_TIME;
import static org.ccmledger.platform.openapi.ApiVocabulary.CLINICAL;
import static org.ccmledger.platform.openapi.ApiVocabulary.CONSENTS;
import static org.ccmledger.platform.openapi.ApiVocabulary.IDENTITY;
import static org.ccmledger.platform.openapi.ApiVocabulary.PATIENTS;

import java.util.List;

/**
 * The operations of the patient's record of care: enrolment and the practice's history import, identity,
 * consents, the clinical record, care time and care plans ({@link ApiOperations} lists them with the rest).
 */
final class CareRecordOperations {

    /** Their rows, grouped by tag, in the order the document lists them. */
    static final List<ApiOperation> ALL = List.of(
            // Patients
            post(PRACTICE + "/patients", "enrollPatient", PATIENTS, "Enroll a patient")
                    .problem(400, "INVALID_PATIENT_ID", "INVALID_NPI", "INVALID_FIELD")
                    .problem(409, "ALREADY_ENROLLED")
                    .problem(422, "INVALID_ICD10_CODE", "INVALID_CONDITION_DESCRIPTION", "ICD10_NOT_BILLABLE",
                             "TOO_FEW_QUALIFYING_CONDITIONS", "INVALID_MBI", "NO_RULE_DATA"),
            post(PRACTICE + "/import", "importPracticeHistory", PATIENTS,
                 "Import a practice's history from another CCM product, line by line")
                    .succeedsWith(200)
                    .describedAs("Body `application/x-ndjson`: one fact per line, `{\"line\", \"kind\", \"patientId\", "
                            + "\"recordedAt\", \"body\"}` where `body` is the API's request body for that kind "
                            + "(docs/api.md lists the kinds). Each line is judged by the same rules as over the API "
                            + "and written once per line id. Answer `application/x-ndjson`, streamed as lines are "
                            + "decided: per line `{\"lineNumber\", \"line\", \"kind\", \"patientId\", \"status\": "
                            + "ACCEPTED|DUPLICATE|REFUSED, \"problem\"}` (the problem the API would answer, with "
                            + "`code` and `rule`), then `{\"summary\": {...}}`. One import per practice at a time.")
                    .problem(409, "IMPORT_RUNNING"),
            get(PATIENT, "getPatient", PATIENTS, "The patient's current state (patients read model)")
                    .problem(404, "UNKNOWN_PATIENT"),
            post(PATIENT + "/billing-practitioner", "changeBillingPractitioner", PATIENTS,
                 "Change the billing practitioner from an instant on")
                    .problem(400, "INVALID_NPI")
                    .problem(404, "UNKNOWN_PATIENT")
                    .problem(409, "SAME_PRACTITIONER")
                    .problem(422, "TIME_IN_FUTURE", "CHANGE_BEFORE_LAST_CHANGE", "LOGGED_TIME_AFTER_EFFECTIVE_DATE"),
            post(PATIENT + "/death", "recordDeath", PATIENTS, "Record the patient's death")
                    .problem(404, "UNKNOWN_PATIENT")
                    .problem(409, "DEATH_ALREADY_RECORDED")
                    .problem(422, "TIME_IN_FUTURE"),
            post(PATIENT + "/disenrollment", "disenrollPatient", PATIENTS, "Disenroll the patient")
                    .problem(404, "UNKNOWN_PATIENT")
                    .problem(409, "ALREADY_DISENROLLED")
                    .problem(422, "TIME_IN_FUTURE", "LOGGED_TIME_AFTER_EFFECTIVE_DATE"),
            // Patient identity
            put(PATIENT + "/identity", "recordPatientIdentity", IDENTITY,
                "Record (or correct) the patient's identity, sealed")
                    .problem(400, "INVALID_FIELD")
                    .problem(404, "UNKNOWN_PATIENT")
                    .problem(409, "IDENTITY_ERASED")
                    .problem(422, "INVALID_MBI"),
            get(PATIENT + "/identity", "getPatientIdentity", IDENTITY, "The patient's identity (access-logged)")
                    .problem(404, "UNKNOWN_PATIENT", "NO_IDENTITY"),
            post(PATIENT + "/identity/erasure", "erasePatientIdentity", IDENTITY,
                 "Erase the identity and destroy the patient's key")
                    .succeedsWith(200)
                    .problem(404, "UNKNOWN_PATIENT", "NO_IDENTITY")
                    .problem(409, "IDENTITY_ERASED")
                    .problem(422, "RETENTION_PERIOD"),
            // Consents
            post(PATIENT + "/consents", "recordConsent", CONSENTS, "Record a consent decision (R8)")
                    .problem(400, "INVALID_NPI")
                    .problem(404, "UNKNOWN_PATIENT")
                    .problem(409, "CONSENT_ALREADY_RECORDED")
                    .problem(422, "DISCLOSURE_MISSING", "CONSENT_FOR_OTHER_PRACTITIONER", "TIME_IN_FUTURE"),
            get(PATIENT + "/consents", "listConsents", CONSENTS, "Every consent decision of the patient")
                    .describedAs("`Accept: application/json` (default) or `application/fhir+json` (a FHIR R4 "
                            + "`Bundle` of type collection with one `Consent` per decision).")
                    .problem(404, "UNKNOWN_PATIENT"),
            post(PATIENT + "/consents/revocation", "revokeConsent", CONSENTS,
                 "Revoke the consent in force, effective at the next month (R8)")
                    .problem(404, "UNKNOWN_PATIENT")
                    .problem(422, "NO_CONSENT_IN_FORCE", "REVOCATION_BEFORE_CONSENT", "TIME_IN_FUTURE",
                             "LOGGED_TIME_AFTER_EFFECTIVE_DATE"),
            // Clinical record
            post(PATIENT + "/initiating-visits", "recordInitiatingVisit", CLINICAL, "Record an initiating visit (R9)")
                    .problem(400, "INVALID_NPI")
                    .problem(404, "UNKNOWN_PATIENT")
                    .problem(422, "INVALID_VISIT_LEVEL", "VISIT_NOT_BY_BILLING_PRACTITIONER", "G0506_ALREADY_BILLED",
                             "BASE_CODE_REQUIRED", "INVALID_BASE_CODE", "TIME_IN_FUTURE"),
            post(PATIENT + "/complexity", "attestComplexity", CLINICAL, "Attest a month's complexity")
                    .problem(403, "NOT_CALLER")
                    .problem(404, "UNKNOWN_PATIENT")
                    .problem(409, "COMPLEXITY_ALREADY_ATTESTED")
                    .problem(422, "MONTH_IN_FUTURE"),
            post(PATIENT + "/concurrent-services", "recordConcurrentService", CLINICAL,
                 "Record a service billed concurrently (R5)")
                    .problem(400, "INVALID_NPI")
                    .problem(404, "UNKNOWN_PATIENT")
                    .problem(422, "UNKNOWN_SERVICE_CODE", "MONTH_IN_FUTURE"),
            post(PATIENT + "/inpatient-stays", "recordInpatientStay", CLINICAL, "Record an inpatient stay (R4)")
                    .problem(404, "UNKNOWN_PATIENT")
                    .problem(422, "INVALID_STAY", "TIME_IN_FUTURE"),
            // Care time
            post(PATIENT + "/care-minutes", "logCareMinutes", CARE_TIME, "Log care minutes (R3)")
                    .problem(400, "INVALID_ENTRY_ID")
                    .problem(403, "OWN_TIME_ONLY", "ROLE_REQUIRED")
                    .problem(404, "UNKNOWN_PATIENT")
                    .problem(409, "DUPLICATE_ENTRY_ID")
                    .problem(422, "NON_CLINICAL_TIME", "INVALID_PERFORMER", "MINUTES_OUT_OF_RANGE", "TIME_IN_FUTURE",
                             "CONSENT_NOT_IN_FORCE", "AFTER_END_OF_CARE"),
            post(PATIENT + "/care-minutes/{entryId}/correction", "correctCareMinutes", CARE_TIME,
                 "Correct a time entry (P4)")
                    .problem(400, "INVALID_ENTRY_ID")
                    .problem(403, "NOT_OWN_ENTRY", "ROLE_REQUIRED")
                    .problem(404, "UNKNOWN_PATIENT", "UNKNOWN_ENTRY")
                    .problem(409, "ENTRY_VOIDED")
                    .problem(422, "NOTHING_TO_CORRECT", "MINUTES_OUT_OF_RANGE", "TIME_IN_FUTURE",
                             "CONSENT_NOT_IN_FORCE", "AFTER_END_OF_CARE"),
            post(PATIENT + "/care-minutes/{entryId}/void", "voidCareMinutes", CARE_TIME, "Void a time entry (P4)")
                    .problem(400, "INVALID_ENTRY_ID")
                    .problem(403, "NOT_OWN_ENTRY", "ROLE_REQUIRED")
                    .problem(404, "UNKNOWN_PATIENT", "UNKNOWN_ENTRY")
                    .problem(409, "ENTRY_VOIDED"),
            get(PATIENT + "/minutes/{month}", "getMonthlyMinutes", CARE_TIME,
                "A month's countable minutes, as billing counts them")
                    .problem(404, "UNKNOWN_PATIENT"),
            // Care plans
            post(PATIENT + "/care-plan/revisions", "reviseCarePlan", CARE_PLANS, "Revise (or establish) the care plan")
                    .problem(403, "NOT_CALLER")
                    .problem(404, "UNKNOWN_PATIENT")
                    .problem(422, "CARE_PLAN_INCOMPLETE", "CARE_PLAN_IN_FUTURE", "REVISION_BEFORE_VERSION_IN_FORCE",
                             "SHARED_BEFORE_REVISION"),
            get(PATIENT + "/care-plan", "getCarePlan", CARE_PLANS, "The care plan in force")
                    .problem(404, "UNKNOWN_PATIENT", "NO_CARE_PLAN"),
            get(PATIENT + "/care-plan/history", "getCarePlanHistory", CARE_PLANS,
                "Every version of the care plan, with what changed")
                    .describedAs("`Accept: application/json` (default) or `application/fhir+json` (a FHIR R4 "
                            + "`Bundle` of type collection with one `CarePlan` per version).")
                    .problem(404, "UNKNOWN_PATIENT", "NO_CARE_PLAN"));

    private CareRecordOperations() {
    }
}
