package org.ccmledger.consent.api;

/**
 * What the patient was told before consenting (R8): that CCM is available, that cost sharing applies, that only one
 * practitioner can furnish and be paid for CCM in a calendar month, and that they may stop at any time, effective at
 * the end of the calendar month.
 */
public record Disclosures(boolean availability, boolean costSharing, boolean onePractitionerPerMonth,
                          boolean rightToStop) {

    /** Whether all four disclosures R8 requires were made. */
    public boolean complete() {
        return availability && costSharing && onePractitionerPerMonth && rightToStop;
    }
}
