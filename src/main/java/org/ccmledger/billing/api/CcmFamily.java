package org.ccmledger.billing.api;

/**
 * The CCM code families of R5 and P1, each a base code with its add-on. Exactly one family is billed per patient-month;
 * the declaration order is the order P1 lists them, which also breaks ties (see {@code CodeAssignment}).
 */
public enum CcmFamily {
    /** Non-complex CCM by clinical staff: 99490 ± 99439. */
    NON_COMPLEX("99490", "99439"),
    /** CCM by the billing practitioner personally: 99491 ± 99437. */
    PRACTITIONER("99491", "99437"),
    /** Complex CCM: 99487 ± 99489. */
    COMPLEX("99487", "99489");

    private final String baseCode;
    private final String addOnCode;

    CcmFamily(String baseCode, String addOnCode) {
        this.baseCode = baseCode;
        this.addOnCode = addOnCode;
    }

    public String baseCode() {
        return baseCode;
    }

    public String addOnCode() {
        return addOnCode;
    }

    /** The family as ccm-rules.md writes it, e.g. {@code "99490 ± 99439"}. */
    public String label() {
        return baseCode + " ± " + addOnCode;
    }
}
