package org.ccmledger.support;

/** Request bodies for a typical CCM patient and care-time entry. */
public final class PatientMother {

    /** A valid NPI (check digit per the CMS Luhn rule). */
    public static final String NPI = "1234567893";

    private PatientMother() {
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

    public static String careMinutes(String entryId, String role, String startedAt, int minutes) {
        return """
                {"entryId":"%s","performer":{"id":"rn-7","role":"%s"},"startedAt":"%s","minutes":%d,
                 "activity":"CARE_COORDINATION","note":"called about refills"}"""
                .formatted(entryId, role, startedAt, minutes);
    }
}
