package org.ccmledger.billing.feeschedule;

import org.ccmledger.billing.rules.RuleData;
import org.ccmledger.billing.rules.RuleDataRepository;
import org.ccmledger.billing.rules.RuleDataSource;

/** The rule data shipped with the service, without imports or overrides: for evaluators in tests. */
public final class ShippedRuleData implements RuleDataSource {

    private final RuleDataRepository shipped = new RuleDataRepository(null);

    @Override
    public RuleData current(int year) {
        return shipped.forYear(year);
    }

    @Override
    public RuleData version(int year, String version) {
        return shipped.forYear(year);
    }
}
