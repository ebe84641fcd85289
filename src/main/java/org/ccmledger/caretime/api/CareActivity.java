package org.ccmledger.caretime.api;

/** What the logged care time was spent on. */
public enum CareActivity {
    MEDICATION_MANAGEMENT, CARE_COORDINATION, PATIENT_COMMUNICATION, CARE_PLAN, ASSESSMENT, RESOURCE_COORDINATION,
    OTHER
}
