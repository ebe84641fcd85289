package org.ccmledger.billing.rules;

import java.util.HashSet;
import java.util.Set;

import org.ccmledger.codeset.api.DiagnosisCodes;
import org.ccmledger.patient.PracticeId;
import org.ccmledger.platform.problem.Refusal;
import org.ccmledger.practice.api.PracticeProfiles;
import org.springframework.stereotype.Component;

/**
 * The evaluator configured with the practice's rule/fee data (imports, overrides, shipped files), its QP
 * practitioners, the places of service its profile names (else {@code ccm.billing.place-of-service}) and the
 * ICD-10-CM code sets; one per application, shared by the projection's queries, month close and verification.
 */
@Component
public class BillingRules {

    private final MonthEvaluator evaluator;
    private final PlacesOfService places = PlacesOfService.shipped();

    BillingRules(BillingProperties properties, RuleDataSource rules, PracticeProfiles profiles,
                 DiagnosisCodes codes) {
        Set<String> qp = new HashSet<>(properties.qualifyingParticipants());
        this.evaluator = new MonthEvaluator(new Refusing(rules), qp::contains,
                                            (practice, location) -> profiles.current(new PracticeId(practice))
                                                                            .map(p -> p.profile()
                                                                                       .placeOfService(location))
                                                                            .orElse(properties.placeOfService()),
                                            codes, places);
    }

    public MonthEvaluator evaluator() {
        return evaluator;
    }

    /** Which places of service are paid at the facility rate. */
    public PlacesOfService places() {
        return places;
    }

    /** A year without rule data is refused by R15, naming what to add. */
    private record Refusing(RuleDataSource rules) implements RuleDataSource {

        @Override
        public RuleData current(int year) {
            try {
                return rules.current(year);
            } catch (IllegalArgumentException e) {
                throw refusal(year);
            }
        }

        @Override
        public RuleData version(int year, String version) {
            try {
                return rules.version(year, version);
            } catch (IllegalArgumentException e) {
                throw refusal(year);
            }
        }

        private static Refusal refusal(int year) {
            return Refusal.rule("NO_RULE_DATA", "R15", "no CCM rule and fee data for " + year + "; import the CMS "
                                                       + "relative value file of " + year + " (docs/billing.md)");
        }
    }
}
