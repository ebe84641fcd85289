package org.ccmledger.billing.rules;

/**
 * Where a year's rule data comes from: the version in force now (an import, an override file, or the shipped file),
 * and any version by name, so a statement is recomputed with the data it was priced with.
 */
public interface RuleDataSource {

    /** The year's rule data in force now; {@link IllegalArgumentException} when there is none. */
    RuleData current(int year);

    /** The year's rule data of {@code version}; the current one when that version is no longer at hand. */
    RuleData version(int year, String version);

    /** One data set per year and no other versions: what a year answers is what every version of it answers. */
    static RuleDataSource byYear(java.util.function.IntFunction<RuleData> years) {
        return new RuleDataSource() {
            @Override
            public RuleData current(int year) {
                return years.apply(year);
            }

            @Override
            public RuleData version(int year, String version) {
                return years.apply(year);
            }
        };
    }
}
