package org.ccmledger.billing.rules;

import java.util.HashSet;
import java.util.Set;

import org.ccmledger.platform.problem.Refusal;
import org.springframework.stereotype.Component;

/**
 * The evaluator configured with the practice's rule/fee data (shipped files, or its overrides) and its QP
 * practitioners; one per application, shared by the projection's queries, month close and verification.
 */
@Component
public class BillingRules {

    private final MonthEvaluator evaluator;

    BillingRules(BillingProperties properties) {
        RuleDataRepository rules = new RuleDataRepository(properties.ruleDataDirectory());
        Set<String> qp = new HashSet<>(properties.qualifyingParticipants());
        this.evaluator = new MonthEvaluator(year -> {
            try {
                return rules.forYear(year);
            } catch (IllegalArgumentException e) {
                throw Refusal.rule("NO_RULE_DATA", "R15", "no CCM rule and fee data for " + year
                                                          + "; add ccm-rules-" + year + ".json to the rule data");
            }
        }, qp::contains);
    }

    public MonthEvaluator evaluator() {
        return evaluator;
    }
}
