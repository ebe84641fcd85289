package org.ccmledger.audit;

import static org.ccmledger.audit.PacketPdfParts.FLAG;
import static org.ccmledger.audit.PacketPdfParts.SMALL;
import static org.ccmledger.audit.PacketPdfParts.add;
import static org.ccmledger.audit.PacketPdfParts.heading;
import static org.ccmledger.audit.PacketPdfParts.line;
import static org.ccmledger.audit.PacketPdfParts.money;
import static org.ccmledger.audit.PacketPdfParts.person;
import static org.ccmledger.audit.PacketPdfParts.words;

import java.util.List;
import java.util.Locale;

import org.ccmledger.billing.api.BillingAdjustmentIssued;
import org.ccmledger.billing.api.BillingStatementIssued;
import org.ccmledger.billing.api.CountedEvent;
import org.ccmledger.billing.api.Reason;
import org.ccmledger.billing.api.StatementLine;

import com.lowagie.text.Document;
import com.lowagie.text.DocumentException;
import com.lowagie.text.Paragraph;

/** The audit packet PDF's statement section: the statement issued, its adjustments and their lines. */
final class PacketPdfStatement {

    private PacketPdfStatement() {
    }

    static void statement(Document d, AuditPacket p) throws DocumentException {
        heading(d, "Billing statement (R2, R5, R12, P1)");
        BillingStatementIssued s = p.statement();
        if (s == null) {
            d.add(line("The month has no statement: it is not closed."));
        } else {
            d.add(line("Statement " + s.statementId() + " under " + person(p.people(), s.billingPractitioner())
                       + ", family " + s.family() + ", date of service " + s.dateOfService() + ", rule data "
                       + s.feeBasis().version() + ", conversion factor " + s.feeBasis().conversionFactor()
                       + ", place of service " + (s.feeBasis().placeOfService() == null ? "not recorded"
                               : s.feeBasis().placeOfService()) + " (" + s.feeBasis().settingOrDefault().name()
                                                                           .toLowerCase(Locale.ROOT)
                                                                           .replace('_', '-') + " rate)"));
            lines(d, s.lines());
            for (var addOn : s.addOns()) {
                d.add(line("  " + addOn.code() + " for the initiating visit's claim, with "
                           + (addOn.baseCode() == null ? "its base code (not recorded)" : addOn.baseCode()) + " on "
                           + addOn.visitDate() + " by " + person(p.people(), addOn.practitioner()) + ": "
                           + addOn.amount()));
            }
            d.add(line("  Minutes: clinical staff " + s.minutes().staff() + ", billing practitioner "
                       + s.minutes().billingPractitioner() + ", counted " + s.minutes().counted()));
            for (Reason r : s.flags()) {
                d.add(line("  Flag " + r));
            }
            s.alternatives().forEach(a -> add(d, line("  Not billed: " + a.family() + " — "
                    + a.reasons().stream().map(Object::toString).reduce((x, y) -> x + "; " + y).orElse(""))));
            d.add(line("  Events counted: " + s.eventsCounted().size()));
            for (CountedEvent c : s.eventsCounted()) {
                d.add(new Paragraph("    " + c.aggregateId() + " #" + c.sequence() + " " + c.hash(), SMALL));
            }
        }
        for (BillingAdjustmentIssued a : p.adjustments()) {
            heading(d, "Adjustment " + a.sequenceNumber() + " (" + words(a.kind().name()) + ")");
            d.add(line("Adjustment " + a.adjustmentId() + " identified " + a.identifiedOn() + ", replaces claim "
                       + a.replacesClaimId() + "; amount due " + money(a.amountDue()) + ", overpayment "
                       + money(a.overpayment()) + (a.refundDueBy() == null ? "" : ", refund due by "
                               + a.refundDueBy()) + ", coinsurance to refund " + money(a.coinsuranceRefund())));
            d.add(line("  Before: " + PacketFindings.lines(a.previousLines()) + ". After:"));
            lines(d, a.lines());
            a.reasons().forEach(r -> add(d, line("  Why: " + r)));
        }
        heading(d, "The month now");
        var now = p.billingNow();
        d.add(line("As evaluated now: family " + now.family() + ", lines " + now.lines().stream()
                .map(l -> l.code() + " x" + l.units()).reduce((x, y) -> x + ", " + y).orElse("none")
                   + ", total " + now.totalAmount() + ", minutes counted "
                   + (now.minutes() == null ? 0 : now.minutes().counted())
                   + (now.blockers().isEmpty() ? "" : ", blockers " + now.blockers())));
        if (s != null) {
            if (p.differences().isEmpty()) {
                d.add(line("No difference from what was billed."));
            }
            p.differences().forEach(diff -> add(d, new Paragraph("  Differs in " + diff.field() + ": billed "
                                                                + diff.billed() + ", now " + diff.now(), FLAG)));
        }
    }

    private static void lines(Document d, List<StatementLine> lines) {
        for (StatementLine l : lines) {
            add(d, line("  " + l.code() + " x" + l.units() + " at " + l.unit() + " = " + l.amount()
                        + (l.basis() == null ? "" : " (" + l.basis() + ")")));
        }
    }
}
