package org.ccmledger.billing.rules;

import java.time.YearMonth;
import java.util.List;
import java.util.Optional;
import java.util.Set;

import org.ccmledger.billing.api.EventRef;
import org.ccmledger.billing.api.FeeSetting;
import org.ccmledger.billing.api.Reason;
import org.ccmledger.billing.api.VisitAddOn;

/**
 * R9 and G0506: comprehensive assessment and care planning is an add-on (global ZZZ) to the initiating visit, billed
 * once per patient, with the visit's base code, on the visit's date, by the practitioner who furnished it. It never
 * goes on the CCM claim: the month's evaluation carries it as an add-on of the visit's claim.
 */
final class VisitAddOns {

    static final String G0506 = "G0506";

    private VisitAddOns() {
    }

    /** The G0506 add-on of a visit in {@code month} by {@code npi} that included care planning, if any. */
    static Optional<VisitAddOn> in(PatientBillingRecord record, YearMonth month, String npi, RuleData rules,
                                   boolean qualifyingParticipant, FeeSetting setting, String placeOfService,
                                   Set<EventRef> read, List<Reason> flags) {
        return record.visits().stream()
                     .filter(v -> v.comprehensiveCarePlanning() && v.npi().equals(npi)
                                  && YearMonth.from(v.date()).equals(month))
                     .findFirst()
                     .map(v -> {
                         read.add(v.ref());
                         FeeSchedule fees = rules.feeSchedule(v.date(), qualifyingParticipant, setting,
                                                              placeOfService);
                         if (v.baseCode() == null) {
                             flags.add(new Reason("R9", "the initiating visit of " + v.date() + " was recorded "
                                                        + "without its base code: G0506 needs it on the visit's "
                                                        + "claim"));
                         }
                         java.math.BigDecimal base = v.baseCode() != null && fees.prices().containsKey(v.baseCode())
                                 ? fees.allowed(v.baseCode()).value().orElse(null) : null;
                         return new VisitAddOn(G0506, v.baseCode(), v.date(), v.npi(),
                                               fees.allowed(G0506).value().orElse(null), fees.explain(G0506),
                                               v.ref(), base);
                     });
    }
}
