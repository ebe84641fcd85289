package org.ccmledger.platform.openapi;

import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The words the API document describes once and every operation uses: its tags (one per resource, with what each
 * covers) and what each path and query parameter means. The operations themselves are {@link ApiOperations}.
 */
final class ApiVocabulary {

    static final String PATIENTS = "Patients";
    static final String IDENTITY = "Patient identity";
    static final String CONSENTS = "Consents";
    static final String CLINICAL = "Clinical record";
    static final String CARE_TIME = "Care time";
    static final String CARE_PLANS = "Care plans";
    static final String BILLING = "Billing";
    static final String CLAIMS = "Claims";
    static final String AUDIT = "Audit";
    static final String PRACTICES = "Practice";
    static final String REFERENCE_DATA = "Reference data";
    static final String INTEGRITY = "Ledger integrity";

    /** The tags, one per resource, in the order Swagger UI shows them. */
    static final Map<String, String> TAGS = tags(
            PATIENTS, "Enrollment (R7), the patient's current state, practitioner change, death, disenrollment",
            IDENTITY, "The patient's identity for claims: PHI sealed with the patient's key, crypto-shredding",
            CONSENTS, "Consent with its four disclosures, revocation at month end (R8), every decision",
            CLINICAL, "Initiating visits (R9), complexity attestations, concurrent services, inpatient stays (R4)",
            CARE_TIME, "Care minutes (R3), corrections and voids (P4), a month's countable minutes (P2, P3)",
            CARE_PLANS, "Versioned care plans (R10) and their history with what changed",
            BILLING, "Patient-months and practice months, month close, re-verification of statements",
            CLAIMS, "The claims feed (CSV, FHIR R4 Claim, X12 837P) and its export ledger",
            AUDIT, "Event log, history as of an instant, timeline, audit packets, access log, OIG risk scan",
            PRACTICES, "The practice profile and staff directory",
            REFERENCE_DATA, "Fee schedules and ICD-10-CM editions (platform admin)",
            INTEGRITY, "Ledger verification, signed digests, the public key");

    /**
     * What each path and query parameter means, by name, wherever it appears: the one place the document's parameter
     * descriptions come from. A row of {@link ApiOperations#ALL} says what a parameter means for it where this does
     * not fit ({@code ApiOperation.parameter}); {@code ApiContractTest} fails for a parameter without a description.
     */
    static final Map<String, String> PARAMETERS = Map.ofEntries(
            Map.entry("practiceId", "The practice (1-64 letters, digits, `.`, `-` or `_`); the token must name it"),
            Map.entry("patientId", "The patient, as the practice identifies them (1-64 letters, digits, `.`, `-` "
                    + "or `_`)"),
            Map.entry("month", "A calendar month, `yyyy-MM`, in the patient's billing time zone (P3)"),
            Map.entry("entryId", "The time entry, as `logCareMinutes` answered it"),
            Map.entry("claimId", "The claim, as the claims feed names it"),
            Map.entry("controlNumber", "The interchange's control number (ISA13), 1-9 digits, as `listClaimBatches` "
                    + "lists it"),
            Map.entry("userId", "The user id the person's token carries (`sub`)"),
            Map.entry("sequence", "The digest's sequence number, from 1"),
            Map.entry("year", "The calendar year of the fee schedule, `yyyy`"),
            Map.entry("code", "An ICD-10-CM code, with or without the dot (at most 8 characters)"),
            Map.entry("after", "Cursor: the `globalIndex` of the last event already read (the page's `nextAfter`); "
                    + "0 (default) starts from the beginning"),
            Map.entry("limit", "Page size: 1-1000, default 100"),
            Map.entry("asKnownAt", "Time travel: an ISO-8601 instant with offset; the answer as the ledger knew it "
                    + "then (facts recorded later are left out). Default: now"),
            Map.entry("asOf", "Time travel: an ISO-8601 instant with offset; the patient's record as the ledger knew "
                    + "it then. Default: now"),
            Map.entry("patient", "Filter: only this patient's entries"),
            Map.entry("actor", "Filter: only entries recorded by this user id"),
            Map.entry("filters", "Filters, each an optional query parameter of its own (form style): `patient`, "
                    + "`type` (an event type, e.g. CareMinutesLogged), `actor`, `recordedFrom`/`recordedTo` (when "
                    + "the ledger learned it) and `performedFrom`/`performedTo` (when it happened), ISO-8601 "
                    + "instants; none narrows nothing"),
            Map.entry("source", "Where the file comes from (a URL or a note), kept with the import; at most 500 "
                    + "characters"));

    private ApiVocabulary() {
    }

    private static Map<String, String> tags(String... namesAndDescriptions) {
        Map<String, String> tags = new LinkedHashMap<>();
        for (int i = 0; i < namesAndDescriptions.length; i += 2) {
            tags.put(namesAndDescriptions[i], namesAndDescriptions[i + 1]);
        }
        return java.util.Collections.unmodifiableMap(tags);
    }
}
