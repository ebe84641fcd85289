package org.ccmledger.support;

/** Request bodies for a typical CCM patient and care-time entry. */
public final class PatientMother {

    /** A valid NPI (check digit per the CMS Luhn rule). */
    public static final String NPI = "1234567893";
    /** A practitioner the HTTP tests configure as a Qualifying APM Participant (R15). */
    public static final String QP_NPI = "1928374655";

    private PatientMother() {
    }

    /** A practice profile with everything an 837P needs (test usage, an EIN, a taxonomy, the payer). */
    public static final String PRACTICE_PROFILE = """
            {"placeOfService":"11","legalName":"Lakeside Primary Care","billingProviderNpi":"1245319599",
             "taxId":{"type":"EIN","value":"123456789"},
             "address":{"line1":"12 Main St","city":"Springfield","state":"IL","zip":"627011234"},
             "contact":{"name":"Ann Lee","phone":"5551234567"},"taxonomyCode":"207Q00000X",
             "payer":{"id":"06202","name":"NGS Medicare Part B"},"submitter":{"id":"SUBMIT1","name":"Lakeside Billing"},
             "receiver":{"id":"MACJ15","name":"NGS Medicare"},"usage":"T",
             "practitioners":{"1234567893":{"givenName":"Sam","familyName":"Cho"}}}""";
    /** A patient's identity: a valid MBI (CMS's format), name, birth date, sex and address. */
    public static final String IDENTITY = """
            {"mbi":"1EG4-TE5-MK73","givenName":"Ana","familyName":"Rivera","birthDate":"1948-03-14","sex":"F",
             "address":{"line1":"5 Oak Ave","city":"Springfield","state":"IL","zip":"62704"}}""";


    /**
     * One line of an onboarding import (NDJSON, newline included): the fact of {@code kind} with the API's request
     * body, for a patient, as recorded at {@code recordedAt} by the product the practice came from. A body's
     * {@code "patientId":null} member is left out.
     */
    public static String importLine(String line, String kind, String patientId, String recordedAt, String body) {
        String oneLine = body.replace("\n", "").replace("\"patientId\":\"null\",", "");
        return "{\"line\":\"%s\",\"kind\":\"%s\",\"patientId\":\"%s\",\"recordedAt\":\"%s\",\"body\":%s}\n"
                .formatted(line, kind, patientId, recordedAt, oneLine);
    }

    public static String enrollment(String patientId) {
        return enrollment(patientId, "America/New_York", true);
    }

    public static String enrollment(String patientId, String zone, boolean secondConditionQualifies) {
        return """
                {"patientId":"%s","billingPractitionerNpi":"%s","timeZone":"%s","qualifiedMedicareBeneficiary":false,
                 "chronicConditions":[
                   {"code":"E11.9","description":"Type 2 diabetes","expectedToLast12Months":true,"significantRisk":true},
                   {"code":"I10","description":"Hypertension","expectedToLast12Months":true,"significantRisk":%s}]}"""
                .formatted(patientId, NPI, zone, secondConditionQualifies);
    }

    /** Accepted consent with all four R8 disclosures, obtained on 1 January 2026. */
    public static String consent() {
        return consent("ACCEPTED", NPI, true);
    }

    public static String consent(String decision, String npi, boolean rightToStopDisclosed) {
        return """
                {"method":"VERBAL","decision":"%s","obtainedAt":"2026-01-01T15:00:00Z","obtainedBy":"rn-7",
                 "billingPractitionerNpi":"%s","documentRef":"note-123",
                 "disclosures":{"availability":true,"costSharing":true,"onePractitionerPerMonth":true,
                                "rightToStop":%s}}"""
                .formatted(decision, npi, rightToStopDisclosed);
    }

    public static String careMinutes(String entryId, String role, String startedAt, int minutes) {
        return """
                {"entryId":"%s","performer":{"id":"nurse-1","role":"%s"},"startedAt":"%s","minutes":%d,
                 "activity":"CARE_COORDINATION","note":"called about refills"}"""
                .formatted(entryId, role, startedAt, minutes);
    }

    /** A complete care plan (R10), established at {@code revisedAt} and shared with the patient an hour later. */
    public static String carePlan(String revisedAt, String sharedAt) {
        return """
                {"revisedAt":"%s","substantialRevision":false,
                 "sharedWithPatientAt":"%s","problems":["Type 2 diabetes"],
                 "expectedOutcome":"stable","measurableGoals":["HbA1c below 8%%"],"symptomManagement":"diet",
                 "plannedInterventions":["monthly calls"],"medicationManagement":"metformin",
                 "communityResources":[],"coordination":[],"reviewSchedule":"monthly"}"""
                .formatted(revisedAt, sharedAt);
    }
}
