package org.ccmledger.patient;

import java.util.regex.Pattern;

import org.ccmledger.platform.problem.Refusal;

/** A postal address in the United States, as a claim carries it (X12 N3/N4): street lines, city, state, ZIP. */
public record PostalAddress(String line1, String line2, String city, String state, String zip) {

    private static final Pattern LINE = Pattern.compile("[\\p{L}0-9 #.,'/-]{1,55}");
    private static final Pattern CITY = Pattern.compile("[\\p{L} .'-]{1,30}");
    private static final Pattern STATE = Pattern.compile("[A-Z]{2}");
    private static final Pattern ZIP = Pattern.compile("[0-9]{5}([0-9]{4})?");

    public PostalAddress {
        require(line1 != null && LINE.matcher(line1).matches(), "address.line1", "1-55 letters, digits or #.,'/-");
        require(line2 == null || LINE.matcher(line2).matches(), "address.line2", "1-55 letters, digits or #.,'/-");
        require(city != null && CITY.matcher(city).matches(), "address.city", "1-30 letters");
        require(state != null && STATE.matcher(state).matches(), "address.state", "two capital letters");
        require(zip != null && ZIP.matcher(zip).matches(), "address.zip", "5 or 9 digits");
    }

    private static void require(boolean ok, String field, String what) {
        if (!ok) {
            throw Refusal.malformed("INVALID_FIELD", "Field '" + field + "' must be " + what);
        }
    }
}
