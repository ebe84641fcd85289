package org.ccmledger.caretime.api;

/** Who performed logged care time. R3: non-clinical staff time never counts. */
public enum PerformerRole {
    CLINICAL_STAFF, BILLING_PRACTITIONER, OTHER_QHP, NON_CLINICAL;

    /** Whether time of this role may count toward CCM (R3). */
    public boolean countsTowardCcm() {
        return this != NON_CLINICAL;
    }
}
