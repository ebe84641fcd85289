package org.ccmledger.billing.rules;

import java.util.regex.Pattern;

import org.ccmledger.billing.api.FeeSetting;

/**
 * One code of a year's fee data, as CMS's relative value file describes it: its status (A active, B bundled, …), its
 * global period ({@code XXX}; {@code ZZZ} marks an add-on, paid only with its base code on the same claim) and its
 * price in the non-facility and the facility setting. A figure the sources do not give is [NF], never a guess.
 *
 * @param status    the CMS status code, {@code null} when the source does not give it
 * @param global    the CMS global days ({@code XXX}, {@code ZZZ}, {@code 000}, {@code 010}, {@code 090} …), or
 *                  {@code null}
 * @param nonFacility the non-facility rate
 * @param facility  the facility rate
 */
record FeeEntry(String status, String global, Rate nonFacility, Rate facility, String note) {

    private static final Pattern STATUS = Pattern.compile("[A-Z]");
    private static final Pattern GLOBAL = Pattern.compile("XXX|YYY|ZZZ|MMM|\\d{3}");

    FeeEntry {
        if (status != null && !STATUS.matcher(status).matches()) {
            throw new IllegalArgumentException("a CMS status code is one letter: " + status);
        }
        if (global != null && !GLOBAL.matcher(global).matches()) {
            throw new IllegalArgumentException("CMS global days are XXX, YYY, ZZZ, MMM or three digits: " + global);
        }
        nonFacility = nonFacility == null ? Rate.notFound() : nonFacility;
        facility = facility == null ? Rate.notFound() : facility;
    }

    Rate rate(FeeSetting setting) {
        return setting == FeeSetting.FACILITY ? facility : nonFacility;
    }

    /** Global {@code ZZZ}: an add-on code, paid only with its base code on the same claim. */
    boolean addOn() {
        return "ZZZ".equals(global);
    }
}
