package org.ccmledger.console;

import java.math.BigDecimal;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

import org.ccmledger.billing.api.BillingViews.CodeTotal;
import org.ccmledger.billing.api.BillingViews.LineView;
import org.ccmledger.billing.api.BillingViews.PatientRow;
import org.ccmledger.billing.api.BillingViews.Status;
import org.ccmledger.billing.api.Total;

/**
 * What closing a month will do, summed a batch of rows at a time so that a large practice's confirmation holds counts
 * and at most {@value #LISTED} rows of each kind, not every row: the statements that will be issued with their
 * lines by code, the open patients left out by each blocking rule, and the patients whose month is already closed.
 */
final class ClosePreview {

    /** Rows listed on the confirmation of each kind; the month page's filters show the rest. */
    static final int LISTED = 100;

    /** The reason of an open patient that nothing blocks and nothing bills (no line). */
    static final String NOTHING_BILLABLE = "no line";
    private static final String UNKNOWN = org.ccmledger.billing.api.Amount.unknown().toString();

    private int toIssue;
    private BigDecimal known = BigDecimal.ZERO;
    private final java.util.Set<String> unknownCodes = new java.util.LinkedHashSet<>();
    private final Map<String, int[]> unitsByCode = new TreeMap<>();
    /** Known amount by code; a code with a line of unknown amount is in {@link #unknownCodes} and stays unknown. */
    private final Map<String, BigDecimal> amountByCode = new TreeMap<>();
    private final List<PatientRow> issued = new ArrayList<>();
    private int leftOut;
    private final Map<String, Integer> leftByRule = new TreeMap<>();
    private final List<PatientRow> left = new ArrayList<>();
    private int closedAlready;

    /** Adds a batch of the month's rows. */
    ClosePreview add(List<PatientRow> rows) {
        for (PatientRow row : rows) {
            if (row.status() != Status.OPEN) {
                closedAlready++;
            } else if (PracticeMonthController.willIssue(row)) {
                toIssue++;
                for (LineView line : row.lines()) {
                    unitsByCode.computeIfAbsent(line.code(), c -> new int[1])[0] += line.units();
                    if (UNKNOWN.equals(line.amount())) {
                        // an amount not in the fee schedule is never summed as zero (as billing's Total)
                        unknownCodes.add(line.code());
                    } else {
                        BigDecimal amount = new BigDecimal(line.amount());
                        known = known.add(amount);
                        amountByCode.merge(line.code(), amount, BigDecimal::add);
                    }
                }
                if (issued.size() < LISTED) {
                    issued.add(row);
                }
            } else {
                leftOut++;
                if (row.blockers().isEmpty()) {
                    leftByRule.merge(NOTHING_BILLABLE, 1, Integer::sum);
                }
                row.blockers().stream().map(b -> b.rule()).distinct()
                   .forEach(rule -> leftByRule.merge(rule, 1, Integer::sum));
                if (left.size() < LISTED) {
                    left.add(row);
                }
            }
        }
        return this;
    }

    public int toIssue() {
        return toIssue;
    }

    /** The amount to be issued as billing renders a total: {@code "152.35"}, or {@code "66.13 + unknown (99439)"}. */
    public String amount() {
        return new Total(known, List.copyOf(unknownCodes)).toString();
    }

    public List<CodeTotal> byCode() {
        return unitsByCode.entrySet().stream()
                .map(e -> new CodeTotal(e.getKey(), e.getValue()[0], unknownCodes.contains(e.getKey()) ? UNKNOWN
                        : amountByCode.get(e.getKey()).toPlainString()))
                .toList();
    }

    public List<PatientRow> issued() {
        return issued;
    }

    public int leftOut() {
        return leftOut;
    }

    /** Open patients left out, counted once under each rule that blocks them. */
    public Map<String, Integer> leftByRule() {
        return leftByRule;
    }

    public List<PatientRow> left() {
        return left;
    }

    public int closedAlready() {
        return closedAlready;
    }
}
