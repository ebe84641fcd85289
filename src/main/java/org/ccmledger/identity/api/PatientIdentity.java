package org.ccmledger.identity.api;

import java.time.LocalDate;
import java.util.regex.Pattern;

import org.ccmledger.patient.PostalAddress;
import org.ccmledger.platform.problem.Refusal;

/**
 * Who a patient is, as a claim needs it: the Medicare Beneficiary Identifier, name, birth date, sex and address. PHI:
 * never in an event in clear, never in a log ({@code identity} feature).
 *
 * @param mbi         the Medicare Beneficiary Identifier, 11 characters in CMS's pattern (checked; dashes are not
 *                    part of it)
 * @param givenName   first name
 * @param familyName  last name
 * @param birthDate   date of birth
 * @param sex         as on the Medicare card: {@code F}, {@code M} or {@code U} (unknown)
 * @param address     the patient's address
 */
public record PatientIdentity(String mbi, String givenName, String familyName, LocalDate birthDate, String sex,
                              PostalAddress address) {

    /**
     * CMS's MBI format: position 1 a digit 1–9; 2, 5, 8 and 9 a letter; 4, 7, 10 and 11 a digit; 3 and 6 a letter or
     * a digit; letters never S, L, O, I, B or Z.
     */
    private static final String ALPHA = "[AC-HJKMNP-RT-Y]";
    private static final Pattern MBI = Pattern.compile("[1-9]" + ALPHA + "(" + ALPHA + "|[0-9])[0-9]" + ALPHA + "("
                                                       + ALPHA + "|[0-9])[0-9]" + ALPHA + ALPHA + "[0-9][0-9]");
    private static final Pattern NAME = Pattern.compile("[\\p{L} .'-]{1,60}");
    private static final Pattern SEX = Pattern.compile("[FMU]");

    public PatientIdentity {
        mbi = mbi == null ? null : mbi.replace("-", "").strip().toUpperCase(java.util.Locale.ROOT);
        if (mbi == null || !MBI.matcher(mbi).matches()) {
            throw new Refusal(Refusal.Kind.RULE, "INVALID_MBI", null,
                              "the Medicare Beneficiary Identifier is not in CMS's format: 11 characters, a digit "
                              + "1-9 first, letters without S, L, O, I, B, Z where CMS puts letters");
        }
        require(givenName != null && NAME.matcher(givenName).matches(), "givenName", "1-60 letters");
        require(familyName != null && NAME.matcher(familyName).matches(), "familyName", "1-60 letters");
        require(birthDate != null && birthDate.getYear() >= 1890 && !birthDate.isAfter(LocalDate.now()),
                "birthDate", "a date between 1890 and today");
        require(sex != null && SEX.matcher(sex).matches(), "sex", "F, M or U");
        require(address != null, "address", "present");
    }

    private static void require(boolean ok, String field, String what) {
        if (!ok) {
            throw Refusal.malformed("INVALID_FIELD", "Field '" + field + "' must be " + what);
        }
    }
}
