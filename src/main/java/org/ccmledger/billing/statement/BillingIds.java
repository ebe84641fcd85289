package org.ccmledger.billing.statement;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;

import org.ccmledger.billing.api.BillingMonthId;

/**
 * Deterministic ids: a patient-month's statement id (also its original claim id) is derived from the patient-month
 * alone, so closing or exporting again can never create a second claim. 24 hex digits of SHA-256 keep claim ids
 * within X12's 38 characters and free of PHI.
 */
final class BillingIds {

    private BillingIds() {
    }

    static String statementId(BillingMonthId id) {
        try {
            byte[] digest = MessageDigest.getInstance("SHA-256")
                                         .digest(("statement|" + id).getBytes(StandardCharsets.UTF_8));
            return "ccm-" + HexFormat.of().formatHex(digest, 0, 12);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
