package org.ccmledger.billing.rules;

import java.nio.file.Path;
import java.util.List;

import org.springframework.boot.context.properties.ConfigurationProperties;

/**
 * Billing settings ({@code ccm.billing.*}).
 *
 * @param ruleDataDirectory       a directory of the practice's {@code ccm-rules-<year>.json} overrides, or empty
 * @param qualifyingParticipants  NPIs of practitioners who are Qualifying APM Participants: from 2026 their amounts
 *                                use the QP conversion factor (R15). The practice says which apply.
 * @param placeOfService          CMS place-of-service code of the billing location for claims (R13), default 11
 * @param x12SenderId             the practice's X12 submitter id (ISA06), default {@code CCMLEDGER}
 * @param x12ReceiverId           the receiver's X12 id (ISA08), default {@code MEDICARE}
 */
@ConfigurationProperties("ccm.billing")
public record BillingProperties(Path ruleDataDirectory, List<String> qualifyingParticipants, String placeOfService,
                         String x12SenderId, String x12ReceiverId) {

    public BillingProperties {
        qualifyingParticipants = qualifyingParticipants == null ? List.of() : List.copyOf(qualifyingParticipants);
        placeOfService = placeOfService == null ? "11" : placeOfService;
        x12SenderId = x12SenderId == null ? "CCMLEDGER" : x12SenderId;
        x12ReceiverId = x12ReceiverId == null ? "MEDICARE" : x12ReceiverId;
    }
}
