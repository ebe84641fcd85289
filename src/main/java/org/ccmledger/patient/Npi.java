package org.ccmledger.patient;

import org.ccmledger.platform.problem.Refusal;

import com.fasterxml.jackson.annotation.JsonCreator;
import com.fasterxml.jackson.annotation.JsonValue;

/**
 * A National Provider Identifier: ten digits whose last is the Luhn check digit computed over the prefix 80840 and
 * the first nine digits (CMS, NPI check digit).
 */
public record Npi(@JsonValue String value) {

    private static final String PREFIX = "80840";

    /** Checked character by character: a record is built for every value read (a billing record holds several). */
    public Npi {
        if (!tenDigits(value) || !checkDigitValid(value)) {
            throw Refusal.malformed("INVALID_NPI", "NPI must be 10 digits with a valid check digit");
        }
    }

    private static boolean tenDigits(String value) {
        if (value == null || value.length() != 10) {
            return false;
        }
        for (int i = 0; i < 10; i++) {
            if (value.charAt(i) < '0' || value.charAt(i) > '9') {
                return false;
            }
        }
        return true;
    }

    /** The Luhn check over the prefix 80840 and the first nine digits, without building that string. */
    static boolean checkDigitValid(String npi) {
        int sum = 0;
        boolean doubleIt = true;
        for (int i = PREFIX.length() + 8; i >= 0; i--) {
            int d = (i < PREFIX.length() ? PREFIX.charAt(i) : npi.charAt(i - PREFIX.length())) - '0';
            if (doubleIt) {
                d *= 2;
                if (d > 9) {
                    d -= 9;
                }
            }
            sum += d;
            doubleIt = !doubleIt;
        }
        int check = (10 - sum % 10) % 10;
        return check == npi.charAt(9) - '0';
    }

    @JsonCreator
    static Npi fromJson(String value) {
        return new Npi(value);
    }

    @Override
    public String toString() {
        return value;
    }
}
