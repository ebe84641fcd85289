package org.ccmledger.platform.openapi;

import static org.ccmledger.platform.openapi.ApiOperation.get;
import static org.ccmledger.platform.openapi.ApiOperation.post;
import static org.ccmledger.platform.openapi.ApiOperation.put;
import static org.ccmledger.platform.openapi.ApiOperations.LEDGER;
import static org.ccmledger.platform.openapi.ApiOperations.PATIENT;
import static org.ccmledger.platform.openapi.ApiOperations.PRACTICE;
import static org.ccmledger.platform.openapi.ApiOperations.REFERENCE;
import static org.ccmledger.platform.openapi.ApiVocabulary.AUDIT;
import static org.ccmledger.platform.openapi.ApiVocabulary.INTEGRITY;
import static org.ccmledger.platform.openapi.ApiVocabulary.PRACTICES;
import static org.ccmledger.platform.openapi.ApiVocabulary.REFERENCE_DATA;

import java.util.List;

/**
 * The operations auditors and administrators use: the audit log, packets, risks and break-glass reads, the practice's
 * profile and staff, fee schedules (reference data), and the ledger's integrity ({@link ApiOperations} lists them with
 * the rest).
 */
final class OversightOperations {

    /** Their rows, grouped by tag, in the order the document lists them. */
    static final List<ApiOperation> ALL = List.of(
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

    private OversightOperations() {
    }
}
