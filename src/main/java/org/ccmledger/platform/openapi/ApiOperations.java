package org.ccmledger.platform.openapi;

import static org.ccmledger.platform.openapi.ApiOperation.get;
import static org.ccmledger.platform.openapi.ApiOperation.post;
import static org.ccmledger.platform.openapi.ApiOperation.put;
import static org.ccmledger.platform.openapi.ApiVocabulary.AUDIT;
import static org.ccmledger.platform.openapi.ApiVocabulary.BILLING;
import static org.ccmledger.platform.openapi.ApiVocabulary.CARE_PLANS;
import static org.ccmledger.platform.openapi.ApiVocabulary.CARE_TIME;
import static org.ccmledger.platform.openapi.ApiVocabulary.CLAIMS;
import static org.ccmledger.platform.openapi.ApiVocabulary.CLINICAL;
import static org.ccmledger.platform.openapi.ApiVocabulary.CONSENTS;
import static org.ccmledger.platform.openapi.ApiVocabulary.IDENTITY;
import static org.ccmledger.platform.openapi.ApiVocabulary.INTEGRITY;
import static org.ccmledger.platform.openapi.ApiVocabulary.PATIENTS;
import static org.ccmledger.platform.openapi.ApiVocabulary.PRACTICES;
import static org.ccmledger.platform.openapi.ApiVocabulary.REFERENCE_DATA;

import java.util.List;
import java.util.Optional;

import org.springframework.http.HttpMethod;

/**
 * Every operation of the API with its contract: the one place that declares operation ids, tags, success statuses
 * and the problems each operation may answer with their {@code code} values. {@link ApiDocument} writes it into
 * {@code /v3/api-docs}; the tags' and parameters' descriptions are {@link ApiVocabulary}'s.
 *
 * <p>A new endpoint needs a row here (besides its rule in {@code AccessPolicy.RULES}): {@code ApiContractTest} fails
 * for an operation of the document without one, and {@code ApiContractCoverageTest} for a status or code the HTTP
 * tests observed that its row does not list. Then refresh {@code docs/openapi.json} (see docs/api.md, "The OpenAPI
 * document").
 */
public final class ApiOperations {

    private static final String PRACTICE = "/api/v1/practices/{practiceId}";
    private static final String PATIENT = PRACTICE + "/patients/{patientId}";
    private static final String LEDGER = "/api/v1/ledger";
    private static final String REFERENCE = "/api/v1/reference";

    /** Every operation, grouped by tag. */
    public static final List<ApiOperation> ALL = List.of(
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
                    .problem(404, "UNKNOWN_PATIENT", "NO_CARE_PLAN"),
            // Billing
            get(PATIENT + "/billing/{month}", "getPatientMonthBilling", BILLING,
                "A patient-month: family, lines, amounts, blockers, alternatives")
                    .describedAs("`asKnownAt` (an instant) answers billing as the ledger knew it then.")
                    .problem(400, "INVALID_PARAMETER")
                    .problem(404, "UNKNOWN_PATIENT")
                    .problem(422, "NO_RULE_DATA"),
            get(PRACTICE + "/billing/{month}", "getPracticeMonthBilling", BILLING, "A practice's month")
                    .parameter("risks", "JSON only: `true` adds the month's OIG risk scan (`risks`); default "
                            + "`false`")
                    .describedAs("By `Accept`: `application/json` (default) the whole month with totals (`risks=true` "
                            + "adds the OIG risk scan); `application/x-ndjson` streams one patient row per line, "
                            + "evaluated in batches of 100 as the client reads; `text/csv` one row per billed line.")
                    .problem(400, "INVALID_PARAMETER")
                    .problem(422, "NO_RULE_DATA"),
            post(PRACTICE + "/billing/{month}/close", "closeBillingMonth", BILLING,
                 "Close a month: a statement per billable patient-month")
                    .succeedsWith(200)
                    .takesNoInput()
                    .problem(409, "READ_MODEL_BEHIND")
                    .problem(422, "MONTH_NOT_ENDED", "NO_RULE_DATA"),
            get(PATIENT + "/billing/{month}/verification", "verifyPatientMonthBilling", BILLING,
                "Re-verify a patient-month's statement from the ledger")
                    .problem(404, "UNKNOWN_PATIENT", "NO_STATEMENT"),
            get(PRACTICE + "/billing/{month}/verification", "verifyPracticeMonthBilling", BILLING,
                "Re-verify every statement of a practice's month"),
            // Claims
            get(PRACTICE + "/claims/{month}", "getClaims", CLAIMS, "The claims feed of a month")
                    .parameter("since", "X12 only: `last` (the default and only value), the claims not sent or "
                            + "changed since the practice's last interchange; a past interchange is read from "
                            + "`getClaimBatch`")
                    .describedAs("By `Accept`: `text/csv` every version of every claim, one row per line; "
                            + "`application/fhir+json` a FHIR R4 `Bundle` of `Claim`; `application/edi-x12` (with "
                            + "`since=last`) the practice's next 837P interchange, recorded as exported before it "
                            + "is answered (headers `X-Interchange-Control-Number`, `X-Claims-Withheld`, "
                            + "`X-Claims-Held`, `X-Add-Ons-Left-Out`).")
                    .problem(400, "INVALID_PARAMETER")
                    .problem(404, "NO_CLAIMS")
                    .problem(409, "CONCURRENT_EXPORT")
                    .problem(422, "PROFILE_INCOMPLETE", "X12_NOT_WRITABLE", "NO_RULE_DATA"),
            get(PRACTICE + "/claims/batches", "listClaimBatches", CLAIMS, "Every 837P interchange that went out"),
            get(PRACTICE + "/claims/batches/{controlNumber}", "getClaimBatch", CLAIMS,
                "An interchange byte for byte as it went out (application/edi-x12)")
                    .problem(400, "INVALID_PARAMETER")
                    .problem(404, "UNKNOWN_BATCH")
                    .problem(503, "BATCH_DAMAGED"),
            post(PRACTICE + "/claims/{claimId}/payer-reference", "recordPayerReference", CLAIMS,
                 "Record the payer's claim control number (ICN) of a claim")
                    .problem(400, "INVALID_FIELD")
                    .problem(404, "UNKNOWN_CLAIM"),
            // Audit
            get(PRACTICE + "/audit/events", "listAuditEvents", AUDIT, "The event log")
                    .describedAs("Cursor paging: `after` (the last `globalIndex` seen, 0 to start) and `limit`; "
                            + "the page's `nextAfter` continues. `Accept: application/x-ndjson` streams every match "
                            + "instead, one event per line.")
                    .problem(400, "INVALID_PARAMETER", "INVALID_CURSOR", "INVALID_LIMIT"),
            get(PRACTICE + "/audit/access-log", "listAccessLog", AUDIT, "Who read which patient's data")
                    .describedAs("Cursor paging: `after` and `limit`, as the event log; `Accept: "
                            + "application/x-ndjson` streams every entry, one per line.")
                    .problem(400, "INVALID_PARAMETER", "INVALID_CURSOR", "INVALID_LIMIT"),
            get(PATIENT + "/history", "getPatientHistory", AUDIT, "The patient's record as the ledger knew it")
                    .problem(400, "INVALID_PARAMETER")
                    .problem(404, "UNKNOWN_PATIENT"),
            get(PATIENT + "/timeline", "getPatientTimeline", AUDIT, "The patient's timeline, corrections linked")
                    .problem(404, "UNKNOWN_PATIENT"),
            get(PATIENT + "/audit-packet/{month}", "getAuditPacket", AUDIT, "The audit packet of a patient-month")
                    .describedAs("`Accept: application/json` (default) or `application/pdf`.")
                    .problem(400, "INVALID_PARAMETER")
                    .problem(404, "UNKNOWN_PATIENT"),
            get(PRACTICE + "/audit/risks/{month}", "getRiskScan", AUDIT, "The OIG risk scan of a month")
                    .describedAs("`Accept: application/json` (default) or `text/csv`; `asKnownAt` scans the "
                            + "ledger as it was then.")
                    .problem(400, "INVALID_PARAMETER"),
            post(PRACTICE + "/audit/risks/{month}/reviews", "recordRiskReview", AUDIT,
                 "Record a review decision on a risk finding")
                    .problem(400, "INVALID_FIELD")
                    .problem(404, "UNKNOWN_PATIENT"),
            get(PRACTICE + "/audit/break-glass", "listBreakGlassReads", AUDIT,
                "Emergency (break-glass) reads of patient records, for review")
                    .describedAs("`status=open` (default): not yet reviewed; `status=all`: every one with its "
                            + "review. Paged by the access record's global index (`after`, `limit`).")
                    .parameter("status", "`open` (default): only the reads not yet reviewed; `all`: every one, each "
                            + "with its review")
                    .parameter("after", "Cursor: the `accessIndex` of the last read already listed (the page's "
                            + "`nextCursor`); 0 from the start")
                    .problem(400, "INVALID_STATUS", "INVALID_LIMIT"),
            post(PRACTICE + "/audit/break-glass/{accessIndex}/review", "reviewBreakGlassRead", AUDIT,
                 "Record the review decision on an emergency read")
                    .parameter("accessIndex", "The emergency read's `accessIndex` (its access record's global index), "
                            + "as `listBreakGlassReads` lists it")
                    .problem(400, "INVALID_FIELD")
                    .problem(403, "SELF_REVIEW")
                    .problem(404, "UNKNOWN_BREAK_GLASS_READ")
                    .problem(409, "ALREADY_REVIEWED"),
            // Practice
            put(PRACTICE + "/profile", "recordPracticeProfile", PRACTICES, "Record the practice profile")
                    .problem(400, "INVALID_FIELD", "INVALID_NPI"),
            get(PRACTICE + "/profile", "getPracticeProfile", PRACTICES, "The practice profile in force")
                    .problem(404, "NO_PROFILE"),
            put(PRACTICE + "/staff/{userId}", "recordStaffMember", PRACTICES, "Say who a user id is")
                    .problem(400, "INVALID_FIELD", "INVALID_NPI"),
            get(PRACTICE + "/staff", "listStaff", PRACTICES, "The staff directory"),
            // Reference data
            post(REFERENCE + "/fee-schedules/{year}/imports", "importFeeSchedule", REFERENCE_DATA,
                 "Import a year's CMS relative value file (plain or gzip, up to 32 MB)")
                    .parameter("cf", "The year's conversion factor in dollars (e.g. 33.4009); when "
                            + "absent, the file's CONV FACTOR column; when given, the file's rows must agree")
                    .parameter("qpCf", "The year's conversion factor for Qualifying APM Participants (R15), in "
                            + "dollars")
                    .problem(400, "INVALID_PARAMETER")
                    .problem(409, "CONCURRENT_IMPORT")
                    .problem(422, "FEE_FILE_INVALID", "NO_RULE_DATA"),
            get(REFERENCE + "/fee-schedules/{year}", "getFeeSchedule", REFERENCE_DATA,
                "A year's fee data and its imports")
                    .problem(400, "INVALID_PARAMETER")
                    .problem(404, "NO_RULE_DATA"),
            post(REFERENCE + "/icd10cm/editions", "loadIcd10Edition", REFERENCE_DATA,
                 "Load an ICD-10-CM edition (the order file, plain or gzip)")
                    .parameter("edition", "The edition's name, e.g. `FY2027`")
                    .parameter("effectiveFrom", "The first day the edition is in force, `yyyy-MM-dd` (default: "
                            + "October 1 before the fiscal year the name gives)")
                    .parameter("effectiveTo", "The last day it is in force, `yyyy-MM-dd` (default: September 30 "
                            + "of that fiscal year)")
                    .problem(400, "INVALID_PARAMETER")
                    .problem(409, "EDITION_LOADED")
                    .problem(422, "CODE_FILE_INVALID"),
            get(REFERENCE + "/icd10cm/editions", "listIcd10Editions", REFERENCE_DATA,
                "The ICD-10-CM editions shipped and loaded"),
            get(REFERENCE + "/icd10cm/codes/{code}", "getIcd10Code", REFERENCE_DATA,
                "Whether a code is billable on a date")
                    .parameter("on", "The date of service, `yyyy-MM-dd`; today (UTC) by default")
                    .problem(400, "INVALID_PARAMETER"),
            // Ledger integrity
            get(LEDGER + "/verification", "verifyLedger", INTEGRITY, "Verify the whole ledger")
                    .describedAs("`Accept: application/json` (default) answers the report; "
                            + "`application/x-ndjson` streams a progress line per block, the report last."),
            get(PATIENT + "/verification", "verifyPatientStreams", INTEGRITY, "Verify the patient's streams")
                    .parameter("months", "Also re-verify these billing months' statements: comma-separated "
                            + "`yyyy-MM` (at most 120); none by default")
                    .problem(400, "INVALID_PARAMETER")
                    .problem(404, "UNKNOWN_PATIENT"),
            post(LEDGER + "/digests", "takeDigest", INTEGRITY, "Take a signed digest of everything sealable now")
                    .takesNoInput()
                    .problem(409, "SEALED_SLOT_EMPTY", "DIGEST_MISSING"),
            get(LEDGER + "/digests", "listDigests", INTEGRITY, "Digests, newest first")
                    .parameter("cursor", "Cursor: the `nextCursor` of the page before (it lists the "
                            + "older digests); absent for the newest")
                    .parameter("limit", "Page size: 1-500, default 50")
                    .describedAs("Cursor paging: `cursor` (the `nextCursor` of the page before) and `limit` "
                            + "(1-500, default 50).")
                    .problem(400, "INVALID_PARAMETER"),
            get(LEDGER + "/digests/{sequence}", "getDigest", INTEGRITY, "One digest with the text its signature covers")
                    .problem(400, "INVALID_PARAMETER")
                    .problem(404, "UNKNOWN_DIGEST"),
            get(LEDGER + "/digests/{sequence}/verification", "verifyDigest", INTEGRITY,
                "Check a digest against today's ledger")
                    .problem(400, "INVALID_PARAMETER")
                    .problem(404, "UNKNOWN_DIGEST"),
            get(LEDGER + "/public-key", "getPublicKey", INTEGRITY, "The key that signs digests (no token needed)")
                    .describedAs("`Accept: application/json` (default) or `application/x-pem-file`."));

    private ApiOperations() {
    }

    /** The contract of {@code method path}, if the table has one. */
    public static Optional<ApiOperation> find(HttpMethod method, String path) {
        return ALL.stream().filter(op -> op.method().equals(method) && op.path().equals(path)).findFirst();
    }
}
