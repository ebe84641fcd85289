package org.ccmledger.platform.security;

/** The endpoint × role matrix of {@link AccessPolicy} as the Markdown table {@code docs/security.md} shows. */
final class MatrixTable {

    private MatrixTable() {
    }

    static String render() {
        StringBuilder table = new StringBuilder("| Endpoint |");
        StringBuilder rule = new StringBuilder("|---|");
        for (Role role : Role.values()) {
            table.append(' ').append(role.claimValue()).append(" |");
            rule.append(":-:|");
        }
        table.append('\n').append(rule).append('\n');
        for (AccessPolicy.Rule r : AccessPolicy.RULES) {
            table.append("| `").append(r.method().name()).append(' ')
                 .append(r.pattern().replace("/api/v1/practices/{practiceId}", "…/{practiceId}")).append("` |");
            for (Role role : Role.values()) {
                table.append(r.roles().contains(role) ? " ✓ |" : " – |");
            }
            table.append('\n');
        }
        return table.toString();
    }
}
