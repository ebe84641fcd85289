package org.ccmledger.audit;

import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

import org.ccmledger.audit.AuditPacket.ConsentEvidence;
import org.ccmledger.consent.api.ConsentDeclined;
import org.ccmledger.consent.api.ConsentRecorded;
import org.ccmledger.consent.api.ConsentRevoked;
import org.ccmledger.enrollment.api.BillingPractitionerChanged;

/**
 * A patient's consent decisions (R8) folded from the enrollment stream in order: each acceptance or refusal with its
 * disclosures, and how an acceptance ended — revoked (with the reason), or by a change of billing practitioner. One
 * fold for the history as of an instant and for the audit packet.
 */
final class ConsentTrail {

    static final String REVOKED = "REVOKED";
    static final String PRACTITIONER_CHANGED = "PRACTITIONER_CHANGED";

    private final List<ConsentEvidence> consents = new ArrayList<>();

    /** Folds one event of the enrollment stream; events that are not about consent change nothing. */
    void apply(Object event, String eventId) {
        if (event instanceof ConsentRecorded e) {
            consents.add(new ConsentEvidence("ACCEPTED", e.method().name(), e.obtainedAt(), e.obtainedBy(),
                                             e.billingPractitioner().value(), e.documentRef(),
                                             e.disclosures().availability(), e.disclosures().costSharing(),
                                             e.disclosures().onePractitionerPerMonth(), e.disclosures().rightToStop(),
                                             null, null, null, eventId));
        } else if (event instanceof ConsentDeclined e) {
            consents.add(new ConsentEvidence("DECLINED", e.method().name(), e.obtainedAt(), e.obtainedBy(),
                                             e.billingPractitioner().value(), e.documentRef(),
                                             e.disclosures().availability(), e.disclosures().costSharing(),
                                             e.disclosures().onePractitionerPerMonth(), e.disclosures().rightToStop(),
                                             null, null, null, eventId));
        } else if (event instanceof ConsentRevoked e) {
            end(e.billingPractitioner().value(), e.revokedAt(), e.effectiveAt(), REVOKED + ": " + e.reason());
        } else if (event instanceof BillingPractitionerChanged e) {
            end(e.previous().value(), null, e.effectiveAt(), PRACTITIONER_CHANGED);
        }
    }

    List<ConsentEvidence> evidence() {
        return List.copyOf(consents);
    }

    /** Ends the acceptance for {@code npi} still in force, if any. */
    private void end(String npi, Instant revokedAt, Instant until, String how) {
        for (int i = 0; i < consents.size(); i++) {
            ConsentEvidence c = consents.get(i);
            if (c.billingPractitioner().equals(npi) && "ACCEPTED".equals(c.decision()) && c.endedBy() == null) {
                consents.set(i, new ConsentEvidence(c.decision(), c.method(), c.obtainedAt(), c.obtainedBy(),
                                                    c.billingPractitioner(), c.documentRef(),
                                                    c.availabilityDisclosed(), c.costSharingDisclosed(),
                                                    c.onePractitionerPerMonthDisclosed(), c.rightToStopDisclosed(),
                                                    revokedAt, until, how, c.eventId()));
            }
        }
    }
}
