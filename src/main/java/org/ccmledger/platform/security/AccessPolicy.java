package org.ccmledger.platform.security;

import static org.ccmledger.platform.security.Role.ADMIN;
import static org.ccmledger.platform.security.Role.AUDITOR;
import static org.ccmledger.platform.security.Role.BILLING;
import static org.ccmledger.platform.security.Role.BILLING_PRACTITIONER;
import static org.ccmledger.platform.security.Role.CARE_STAFF;
import static org.ccmledger.platform.security.Role.COMPLIANCE_OFFICER;
import static org.ccmledger.platform.security.Role.PLATFORM_ADMIN;
import static org.ccmledger.platform.security.Role.PLATFORM_AUDITOR;

import java.util.EnumSet;
import java.util.List;
import java.util.Set;

import org.springframework.http.HttpMethod;

/**
 * Who may call what: every endpoint of the API with the roles that may call it. A path with {@code {practiceId}}
 * also needs the practice among the token's practices. Anything not listed here is refused (403 with a token, 401
 * without); {@link #PUBLIC} needs no token. {@code docs/security.md} shows this table, and a test checks it against
 * both the documentation and every endpoint the service maps.
 */
public final class AccessPolicy {

    /** One endpoint (method and path pattern, as the controllers map it) and the roles that may call it. */
    public record Rule(HttpMethod method, String pattern, Set<Role> roles) {
        public Rule {
            roles = Set.copyOf(roles);
        }
    }

    private static final String PRACTICE = "/api/v1/practices/{practiceId}";
    private static final String PATIENT = PRACTICE + "/patients/{patientId}";
    private static final String LEDGER = "/api/v1/ledger";
    private static final String REFERENCE = "/api/v1/reference";

    /** Needs no token: health, the digests' public key, the API description. Prometheus has its own token. */
    public static final List<String> PUBLIC = List.of(
            "/actuator/health", "/actuator/health/**", "/actuator/prometheus", LEDGER + "/public-key",
            "/v3/api-docs", "/v3/api-docs/**", "/swagger-ui.html", "/swagger-ui/**", "/webjars/**");

    public static final List<Rule> RULES = List.of(
            // the practice's profile: where it bills from, how its claims go out
            put(PRACTICE + "/profile", ADMIN),
            get(PRACTICE + "/profile", ADMIN, BILLING, COMPLIANCE_OFFICER, AUDITOR),
            // the staff directory: who a user id is (name, credential, NPI), for audit packets
            put(PRACTICE + "/staff/{userId}", ADMIN),
            get(PRACTICE + "/staff", ADMIN, COMPLIANCE_OFFICER, AUDITOR),
            // enrollment (admin) and the patient summary
            post(PRACTICE + "/patients", ADMIN),
            // onboarding: a practice's history from another CCM product, line by line (NDJSON)
            post(PRACTICE + "/import", ADMIN),
            get(PATIENT, CARE_STAFF, BILLING_PRACTITIONER, BILLING, COMPLIANCE_OFFICER, ADMIN),
            // the patient's identity (PHI, sealed with the patient's key): recorded by the admin, read where claims
            // and audits need it (every read in the access log), erased for good by the admin
            put(PATIENT + "/identity", ADMIN),
            get(PATIENT + "/identity", BILLING, COMPLIANCE_OFFICER, AUDITOR),
            post(PATIENT + "/identity/erasure", ADMIN),
            post(PATIENT + "/billing-practitioner", ADMIN),
            post(PATIENT + "/death", ADMIN),
            post(PATIENT + "/disenrollment", ADMIN),
            // clinical facts the billing practitioner attests
            post(PATIENT + "/initiating-visits", BILLING_PRACTITIONER),
            post(PATIENT + "/complexity", BILLING_PRACTITIONER),
            post(PATIENT + "/concurrent-services", BILLING_PRACTITIONER),
            post(PATIENT + "/inpatient-stays", BILLING_PRACTITIONER),
            // consent
            post(PATIENT + "/consents", BILLING_PRACTITIONER),
            post(PATIENT + "/consents/revocation", BILLING_PRACTITIONER),
            get(PATIENT + "/consents", CARE_STAFF, BILLING_PRACTITIONER, BILLING, COMPLIANCE_OFFICER, ADMIN),
            // care plan
            post(PATIENT + "/care-plan/revisions", BILLING_PRACTITIONER),
            get(PATIENT + "/care-plan", CARE_STAFF, BILLING_PRACTITIONER, COMPLIANCE_OFFICER),
            get(PATIENT + "/care-plan/history", BILLING_PRACTITIONER, COMPLIANCE_OFFICER),
            // care time: each person logs, corrects and voids only their own entries
            post(PATIENT + "/care-minutes", CARE_STAFF, BILLING_PRACTITIONER),
            post(PATIENT + "/care-minutes/{entryId}/correction", CARE_STAFF, BILLING_PRACTITIONER),
            post(PATIENT + "/care-minutes/{entryId}/void", CARE_STAFF, BILLING_PRACTITIONER),
            get(PATIENT + "/minutes/{month}", CARE_STAFF, BILLING_PRACTITIONER, BILLING, COMPLIANCE_OFFICER),
            // billing
            get(PATIENT + "/billing/{month}", BILLING, COMPLIANCE_OFFICER),
            get(PATIENT + "/billing/{month}/verification", BILLING, COMPLIANCE_OFFICER, AUDITOR),
            get(PRACTICE + "/billing/{month}", BILLING),
            post(PRACTICE + "/billing/{month}/close", BILLING),
            get(PRACTICE + "/billing/{month}/verification", BILLING, AUDITOR),
            // the export ledger before /claims/{month}, which its paths would also match
            get(PRACTICE + "/claims/batches", BILLING, AUDITOR),
            get(PRACTICE + "/claims/batches/{controlNumber}", BILLING, AUDITOR),
            post(PRACTICE + "/claims/{claimId}/payer-reference", BILLING),
            get(PRACTICE + "/claims/{month}", BILLING),
            // compliance and audit
            get(PATIENT + "/history", COMPLIANCE_OFFICER),
            get(PATIENT + "/timeline", COMPLIANCE_OFFICER),
            get(PATIENT + "/audit-packet/{month}", COMPLIANCE_OFFICER, AUDITOR),
            get(PATIENT + "/verification", COMPLIANCE_OFFICER, AUDITOR),
            get(PRACTICE + "/audit/events", AUDITOR),
            get(PRACTICE + "/audit/access-log", AUDITOR, COMPLIANCE_OFFICER),
            get(PRACTICE + "/audit/risks/{month}", COMPLIANCE_OFFICER, AUDITOR),
            post(PRACTICE + "/audit/risks/{month}/reviews", COMPLIANCE_OFFICER),
            // emergency (break-glass) reads of patient records, for review: reviewed by the compliance officer
            get(PRACTICE + "/audit/break-glass", COMPLIANCE_OFFICER, AUDITOR),
            post(PRACTICE + "/audit/break-glass/{accessIndex}/review", COMPLIANCE_OFFICER),
            // the whole ledger belongs to the platform, not to a practice: what a report names is still cut to the
            // caller's practices (a platform auditor who names none sees global indexes and problems only)
            get(LEDGER + "/verification", PLATFORM_AUDITOR),
            post(LEDGER + "/digests", PLATFORM_ADMIN),
            get(LEDGER + "/digests", PLATFORM_AUDITOR),
            get(LEDGER + "/digests/{sequence}", PLATFORM_AUDITOR),
            get(LEDGER + "/digests/{sequence}/verification", PLATFORM_AUDITOR),
            // reference data every practice bills with: loaded by the platform, read by whoever bills or checks
            post(REFERENCE + "/icd10cm/editions", PLATFORM_ADMIN),
            get(REFERENCE + "/icd10cm/editions", PLATFORM_ADMIN, PLATFORM_AUDITOR, BILLING, COMPLIANCE_OFFICER,
                AUDITOR, ADMIN),
            get(REFERENCE + "/icd10cm/codes/{code}", PLATFORM_ADMIN, PLATFORM_AUDITOR, BILLING, COMPLIANCE_OFFICER,
                AUDITOR, ADMIN, BILLING_PRACTITIONER),
            post(REFERENCE + "/fee-schedules/{year}/imports", PLATFORM_ADMIN),
            get(REFERENCE + "/fee-schedules/{year}", PLATFORM_ADMIN, PLATFORM_AUDITOR, BILLING, COMPLIANCE_OFFICER,
                AUDITOR));

    private AccessPolicy() {
    }

    private static Rule get(String pattern, Role... roles) {
        return new Rule(HttpMethod.GET, pattern, EnumSet.of(roles[0], roles));
    }

    private static Rule post(String pattern, Role... roles) {
        return new Rule(HttpMethod.POST, pattern, EnumSet.of(roles[0], roles));
    }

    private static Rule put(String pattern, Role... roles) {
        return new Rule(HttpMethod.PUT, pattern, EnumSet.of(roles[0], roles));
    }
}
