package org.ccmledger.billing.rules;

import java.util.Set;

/** The source labels of ccm-rules.md, checked on every datum that carries one. */
final class Provenance {

    static final String NOT_FOUND = "[NF]";
    static final String NOT_APPLICABLE = "n/a";
    private static final Set<String> LABELS = Set.of("[S]", "[S3]", "[M]", NOT_FOUND, NOT_APPLICABLE);

    private Provenance() {
    }

    static String requireLabel(String label, String what) {
        if (!LABELS.contains(label)) {
            throw new IllegalArgumentException(what + ": label must be one of " + LABELS + ", was " + label);
        }
        return label;
    }

    static boolean meansNoAmount(String label) {
        return NOT_FOUND.equals(label) || NOT_APPLICABLE.equals(label);
    }

    static String describe(String label, String source) {
        return source == null || source.isBlank() ? label : label + " " + source;
    }
}
