package org.ccmledger.platform.security;

import static org.ccmledger.platform.security.Role.ADMIN;
import static org.ccmledger.platform.security.Role.AUDITOR;
import static org.ccmledger.platform.security.Role.BILLING;
import static org.ccmledger.platform.security.Role.BILLING_PRACTITIONER;
import static org.ccmledger.platform.security.Role.CARE_STAFF;
import static org.ccmledger.platform.security.Role.COMPLIANCE_OFFICER;
import static org.ccmledger.platform.security.Role.PLATFORM_AUDITOR;

import java.util.EnumSet;
import java.util.List;

import org.ccmledger.platform.security.AccessPolicy.Rule;
import org.springframework.http.HttpMethod;

/**
 * Who may open what in the console ({@code /console}): each page and form with the roles that may use it, for the
 * practice its path names, as in {@link AccessPolicy}. A page admits the roles the API endpoints it shows admit; a form
 * the roles of the command it sends (the command's own checks still apply: care staff act only on their own time).
 * Anything not listed is refused; {@link #PUBLIC} needs no sign-in. {@code docs/security.md} shows this table.
 */
public final class ConsolePolicy {

    public static final String ROOT = "/console";
    private static final String PRACTICE = ROOT + "/practices/{practiceId}";
    private static final String MONTH = PRACTICE + "/months/{month}";
    private static final String PATIENT = PRACTICE + "/patients/{patientId}";
    private static final String LEDGER = ROOT + "/ledger";

    /** The sign-in page and form, and the console's own static files. */
    public static final List<String> PUBLIC = List.of(ROOT + "/sign-in", ROOT + "/assets/**");

    /** Any signed-in user: the start page, which lists what their roles open, and signing out. */
    public static final List<String> SIGNED_IN = List.of(ROOT, ROOT + "/", ROOT + "/sign-out");

    public static final List<Rule> RULES = List.of(
            // the practice's month: billing reads and closes it, compliance reads it
            get(MONTH, BILLING, COMPLIANCE_OFFICER),
            get(MONTH + "/totals", BILLING, COMPLIANCE_OFFICER),
            get(MONTH + "/risks", BILLING, COMPLIANCE_OFFICER),
            get(MONTH + "/practice-month.csv", BILLING),
            get(MONTH + "/claims.csv", BILLING),
            get(MONTH + "/practice-month.ndjson", BILLING),
            get(MONTH + "/claims.fhir.json", BILLING),
            post(MONTH + "/claims.x12", BILLING),
            get(MONTH + "/close", BILLING),
            post(MONTH + "/close", BILLING),
            // the start page's patient-id forms: a redirect to the patient's page (or verification, audit packet)
            get(PRACTICE + "/patients", CARE_STAFF, BILLING_PRACTITIONER, BILLING, COMPLIANCE_OFFICER, AUDITOR),
            // a patient: as GET .../patients/{patientId} with the minutes and billing its page shows
            get(PATIENT, CARE_STAFF, BILLING_PRACTITIONER, BILLING, COMPLIANCE_OFFICER),
            // emergency access from the refusal page: any of the practice's roles may ask, the practice's profile
            // decides ({@link BreakGlass}); the page is then admitted under the session's grant (ConsoleBreakGlass)
            post(PATIENT + "/break-glass", CARE_STAFF, BILLING_PRACTITIONER, BILLING, COMPLIANCE_OFFICER, AUDITOR,
                 ADMIN),
            post(PATIENT + "/care-minutes", CARE_STAFF, BILLING_PRACTITIONER),
            post(PATIENT + "/care-minutes/{entryId}/correction", CARE_STAFF, BILLING_PRACTITIONER),
            post(PATIENT + "/care-minutes/{entryId}/void", CARE_STAFF, BILLING_PRACTITIONER),
            get(PATIENT + "/audit-packet/{month}", COMPLIANCE_OFFICER, AUDITOR),
            // the patient's timeline, as GET .../patients/{patientId}/timeline
            get(PATIENT + "/timeline", COMPLIANCE_OFFICER),
            // the patient's streams verified, as GET .../patients/{patientId}/verification
            get(PATIENT + "/verification", COMPLIANCE_OFFICER, AUDITOR),
            // the event log and its NDJSON export, as GET .../audit/events; the access log, as GET .../audit/access-log
            get(PRACTICE + "/events", AUDITOR),
            get(PRACTICE + "/events/export.ndjson", AUDITOR),
            get(PRACTICE + "/access-log", AUDITOR, COMPLIANCE_OFFICER),
            get(PRACTICE + "/access-log/export.ndjson", AUDITOR, COMPLIANCE_OFFICER),
            // emergency reads for review, as GET and POST .../audit/break-glass...
            get(PRACTICE + "/break-glass", COMPLIANCE_OFFICER, AUDITOR),
            post(PRACTICE + "/break-glass/{accessIndex}/review", COMPLIANCE_OFFICER),
            // the ledger's integrity, as GET /api/v1/ledger/...: the platform auditor's
            get(LEDGER, PLATFORM_AUDITOR),
            get(LEDGER + "/verification", PLATFORM_AUDITOR),
            get(LEDGER + "/verification.ndjson", PLATFORM_AUDITOR),
            get(LEDGER + "/public-key.pem", PLATFORM_AUDITOR),
            get(LEDGER + "/digests/{sequence}.txt", PLATFORM_AUDITOR),
            get(LEDGER + "/digests/{sequence}.sig", PLATFORM_AUDITOR),
            get(LEDGER + "/digests/{sequence}/verification", PLATFORM_AUDITOR));

    private ConsolePolicy() {
    }

    private static Rule get(String pattern, Role... roles) {
        return new Rule(HttpMethod.GET, pattern, EnumSet.of(roles[0], roles));
    }

    private static Rule post(String pattern, Role... roles) {
        return new Rule(HttpMethod.POST, pattern, EnumSet.of(roles[0], roles));
    }
}
