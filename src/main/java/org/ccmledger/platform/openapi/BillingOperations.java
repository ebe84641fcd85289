package org.ccmledger.platform.openapi;

import static org.ccmledger.platform.openapi.ApiOperation.get;
import static org.ccmledger.platform.openapi.ApiOperation.post;
import static org.ccmledger.platform.openapi.ApiOperations.PATIENT;
import static org.ccmledger.platform.openapi.ApiOperations.PRACTICE;
import static org.ccmledger.platform.openapi.ApiVocabulary.BILLING;
import static org.ccmledger.platform.openapi.ApiVocabulary.CLAIMS;

import java.util.List;

/**
 * The operations of billing: patient- and practice-months, their close and verification, claims and claim batches
 * ({@link ApiOperations} lists them with the rest).
 */
final class BillingOperations {

    /** Their rows, grouped by tag, in the order the document lists them. */
    static final List<ApiOperation> ALL = List.of(
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
                    .problem(409, "CONCURRENT_EXPORT", "EXPORT_EXPIRED")
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
                    .problem(404, "UNKNOWN_CLAIM"));

    private BillingOperations() {
    }
}
