package org.ccmledger.patient;

import java.util.regex.Pattern;

import org.ccmledger.platform.problem.Refusal;

import com.fasterxml.jackson.annotation.JsonCreator;
import com.fasterxml.jackson.annotation.JsonValue;

/**
 * A National Provider Identifier: ten digits whose last is the Luhn check digit computed over the prefix 80840 and
 * the first nine digits (CMS, NPI check digit).
 */
public record Npi(@JsonValue String value) {

    /** Compiled once: a record built for every value read, not a pattern per value. */
    private static final Pattern FORMAT = Pattern.compile("\\d{10}");

    public Npi {
        if (value == null || !FORMAT.matcher(value).matches() || !checkDigitValid(value)) {
            throw Refusal.malformed("INVALID_NPI", "NPI must be 10 digits with a valid check digit");
        }
    }

    static boolean checkDigitValid(String npi) {
        String digits = "80840" + npi.substring(0, 9);
        int sum = 0;
        boolean doubleIt = true;
        for (int i = digits.length() - 1; i >= 0; i--) {
            int d = digits.charAt(i) - '0';
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
