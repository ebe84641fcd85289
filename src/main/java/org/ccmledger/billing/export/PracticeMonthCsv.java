package org.ccmledger.billing.export;

import org.ccmledger.billing.api.BillingViews.LineView;
import org.ccmledger.billing.api.BillingViews.PatientRow;
import org.ccmledger.billing.api.BillingViews.PracticeMonthView;
import org.ccmledger.platform.web.Csv;

/** A practice's month as CSV: one row per billed line; a patient with nothing billed gets one row with its blockers. */
public final class PracticeMonthCsv {

    private PracticeMonthCsv() {
    }

    /** The header line. */
    public static final String HEADER = "month,patientId,billingPractitioner,family,status,code,units,"
                                        + "unitAmount,amount,servicedDate,patientTotal,blockers\r\n";

    public static String of(PracticeMonthView view) {
        return HEADER + rows(view.month(), view.patients());
    }

    /** The lines of some patients' rows, as {@link #of} writes them. */
    public static String rows(String month, java.util.List<PatientRow> rows) {
        StringBuilder out = new StringBuilder();
        for (PatientRow row : rows) {
            String blockers = String.join("; ", row.blockers().stream().map(Object::toString).toList());
            if (row.lines().isEmpty()) {
                append(out, month, row, null, blockers);
            }
            for (LineView line : row.lines()) {
                append(out, month, row, line, blockers);
            }
        }
        return out.toString();
    }

    private static void append(StringBuilder out, String month, PatientRow row, LineView line, String blockers) {
        out.append(String.join(",", month, Csv.cell(row.patientId()), Csv.cell(row.billingPractitioner()),
                               Csv.cell(row.family()), row.status().name(),
                               line == null ? "" : line.code(), line == null ? "" : String.valueOf(line.units()),
                               line == null ? "" : line.unitAmount(), line == null ? "" : line.amount(),
                               line == null ? "" : line.servicedDate().toString(), row.totalAmount(),
                               Csv.cell(blockers)))
           .append("\r\n");
    }
}
