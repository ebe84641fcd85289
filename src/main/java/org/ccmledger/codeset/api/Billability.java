package org.ccmledger.codeset.api;

import java.time.LocalDate;
import java.util.Objects;

/**
 * What an ICD-10-CM edition says of one code on one date.
 *
 * @param code           the code as asked, normalised: upper case, with its dot after the third character
 * @param on             the date it applies to
 * @param status         billable, or why not
 * @param edition        the edition that answered, e.g. {@code FY2026}
 * @param editionInForce whether that edition was in force on the date; {@code false} when the date lies outside every
 *                       loaded edition and the nearest one answered (load the edition in force to be sure)
 */
public record Billability(String code, LocalDate on, Status status, String edition, boolean editionInForce) {

    /** Billable; a header or category (a more specific code is needed); billable before but not now; no such code. */
    public enum Status { BILLABLE, HEADER, DELETED, UNKNOWN }

    public Billability {
        Objects.requireNonNull(code, "code");
        Objects.requireNonNull(status, "status");
        Objects.requireNonNull(edition, "edition");
    }

    public boolean billable() {
        return status == Status.BILLABLE;
    }

    /** A sentence for a refusal or a blocker: names the code and the edition, never the patient. */
    public String explain() {
        String where = " in ICD-10-CM " + edition + (editionInForce ? "" : " (the nearest loaded edition; the one in "
                                                                        + "force on " + on + " is not loaded)");
        return switch (status) {
            case BILLABLE -> code + " is billable on " + on + where;
            case HEADER -> code + " is a header or category, not billable on " + on + where
                           + ": a more specific code is needed";
            case DELETED -> code + " is no longer billable on " + on + where + " (deleted since an earlier edition)";
            case UNKNOWN -> code + " is not an ICD-10-CM code billable on " + on + where;
        };
    }
}
