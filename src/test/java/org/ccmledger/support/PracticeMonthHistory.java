package org.ccmledger.support;

import java.util.Locale;

/**
 * A practice's March 2024 as an onboarding import (NDJSON for {@code POST .../import}): per patient an enrolment, a
 * consent, a care plan, an initiating visit (not every fifth patient) and three to six care entries of varied minutes, so that some months bill and some are blocked
 * by their minutes (R2) or the missing visit. Synthetic: no patient data.
 */
public final class PracticeMonthHistory {

    public static final String MONTH = "2024-03";
    private static final String INITIATING_VISIT = "{\"visitDate\":\"2024-02-28\",\"visitType\":\"EM\",\"emLevel\":4,"
            + "\"practitionerNpi\":\"" + PatientMother.NPI + "\",\"comprehensiveCarePlanning\":false}";

    private PracticeMonthHistory() {
    }

    public static String patientId(int patient) {
        return String.format(Locale.ROOT, "pm-%05d", patient);
    }

    /** Care entries of patient number {@code patient}: three to six. */
    public static int entries(int patient) {
        return 3 + patient % 4;
    }

    /** The import file of {@code patients} patients, each patient's lines together. */
    public static String ndjson(int patients) {
        StringBuilder file = new StringBuilder();
        for (int p = 0; p < patients; p++) {
            String patient = patientId(p);
            file.append(PatientMother.importLine(patient + "-1", "enrollment", patient, "2024-02-26T15:00:00Z",
                                                 PatientMother.enrollment(null)));
            file.append(PatientMother.importLine(patient + "-2", "consent", patient, "2024-02-27T15:00:00Z",
                                                 PatientMother.consent().replace("2026-01-01", "2024-02-27")));
            file.append(PatientMother.importLine(patient + "-3", "care-plan", patient, "2024-02-28T15:00:00Z",
                                                 PatientMother.carePlan("2024-02-28T14:00:00Z",
                                                                        "2024-02-28T15:00:00Z")
                                                              .replace("{\"revisedAt\"",
                                                                       "{\"revisedBy\":\"dr-lee\",\"revisedAt\"")));
            if (p % 5 != 0) {
                file.append(PatientMother.importLine(patient + "-4", "initiating-visit", patient,
                                                     "2024-02-28T16:00:00Z", INITIATING_VISIT));
            }
            for (int e = 1; e <= entries(p); e++) {
                String at = "2024-03-%02dT15:00:00Z".formatted(e * 4);
                file.append(PatientMother.importLine(patient + "-m" + e, "care-minutes", patient,
                                                     at.replace("T15", "T16"),
                                                     PatientMother.careMinutes(patient + "-e" + e, "CLINICAL_STAFF",
                                                                               at, minutes(p, e))));
            }
        }
        return file.toString();
    }

    /** Minutes of entry {@code e} of patient number {@code patient}: 2 to 10. */
    public static int minutes(int patient, int e) {
        return 2 + (patient * 7 + e * 3) % 9;
    }
}
