package org.ccmledger.billing.api;

/**
 * The identity of one year's imported fee schedules, and so of their aggregate and event stream:
 * {@code reference:fee-schedule:<year>}. Each import is a new version in it; none replaces another in the ledger.
 */
public record FeeScheduleId(int year) {

    public FeeScheduleId {
        if (year < 2015 || year > 2100) {
            throw new IllegalArgumentException("a fee-schedule year is 2015-2100");
        }
    }

    @Override
    public String toString() {
        return "reference:fee-schedule:" + year;
    }
}
