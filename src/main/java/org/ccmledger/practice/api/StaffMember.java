package org.ccmledger.practice.api;

import java.util.regex.Pattern;

import org.ccmledger.patient.Npi;
import org.ccmledger.platform.problem.Refusal;

/**
 * Who a user id of the practice is, as an auditor must read it: a name, a credential (MD, NP, RN, LPN, MA …) and an
 * NPI where they have one. A user's time entries, consents and attestations carry only the user id; the audit packet
 * names them from here.
 *
 * @param userId     the id the user's token carries ({@code sub}), as the ledger records it as actor and performer
 * @param name       the person's full name
 * @param credential their credential or job title, e.g. {@code RN}, {@code MD}, {@code CMA}
 * @param npi        their NPI, or {@code null} for staff without one
 */
public record StaffMember(String userId, String name, String credential, String npi) {

    private static final Pattern USER_ID = Pattern.compile("[A-Za-z0-9._@-]{1,128}");
    private static final Pattern NAME = Pattern.compile("[\\p{L} .,'-]{1,100}");
    private static final Pattern CREDENTIAL = Pattern.compile("[\\p{L}0-9 .,/()-]{1,40}");

    public StaffMember {
        require(userId != null && USER_ID.matcher(userId).matches(), "userId",
                "1-128 letters, digits or ._@- (the token's subject)");
        require(name != null && NAME.matcher(name.strip()).matches(), "name", "1-100 letters");
        require(credential != null && CREDENTIAL.matcher(credential.strip()).matches(), "credential",
                "1-40 letters or digits");
        name = name.strip();
        credential = credential.strip();
        if (npi != null) {
            new Npi(npi);
        }
    }

    private static void require(boolean ok, String field, String what) {
        if (!ok) {
            throw Refusal.malformed("INVALID_FIELD", "Field '" + field + "' must be " + what);
        }
    }
}
