package org.ccmledger.audit;

import java.io.ByteArrayOutputStream;
import java.util.List;

import org.ccmledger.audit.AuditPacket.Change;
import org.ccmledger.audit.AuditPacket.ConsentEvidence;
import org.ccmledger.audit.AuditPacket.StreamCheck;
import org.ccmledger.audit.AuditPacket.TimeEntry;
import org.ccmledger.billing.api.BillingAdjustmentIssued;
import org.ccmledger.billing.api.BillingStatementIssued;
import org.ccmledger.billing.api.CountedEvent;
import org.ccmledger.billing.api.Reason;
import org.ccmledger.billing.api.StatementLine;
import org.ccmledger.patient.ChronicCondition;

import com.lowagie.text.Chunk;
import com.lowagie.text.Document;
import com.lowagie.text.DocumentException;
import com.lowagie.text.Font;
import com.lowagie.text.PageSize;
import com.lowagie.text.Paragraph;
import com.lowagie.text.Phrase;
import com.lowagie.text.pdf.PdfPCell;
import com.lowagie.text.pdf.PdfPTable;
import com.lowagie.text.pdf.PdfWriter;

/**
 * The audit packet as a PDF an auditor can read and file: one section per item of the packet, voided and corrected time
 * entries struck through with their reasons, and the hash-chain result for the streams cited. Written with OpenPDF.
 */
final class AuditPacketPdf {

    private static final Font TITLE = new Font(Font.HELVETICA, 15, Font.BOLD);
    private static final Font HEADING = new Font(Font.HELVETICA, 11, Font.BOLD);
    private static final Font BODY = new Font(Font.HELVETICA, 8.5f);
    private static final Font STRUCK = new Font(Font.HELVETICA, 8.5f, Font.STRIKETHRU);
    private static final Font SMALL = new Font(Font.COURIER, 6.5f);

    private AuditPacketPdf() {
    }

    static byte[] render(AuditPacket p) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        Document document = new Document(PageSize.LETTER, 36, 36, 36, 36);
        try {
            PdfWriter.getInstance(document, out);
            document.addTitle("CCM audit packet " + p.month());
            document.addCreator("ccm-ledger");
            document.open();
            document.add(new Paragraph("CCM audit packet — " + p.month(), TITLE));
            document.add(line("Practice " + p.practiceId() + ", patient " + p.patientId() + ". Generated "
                              + p.generatedAt() + " from the ledger."));

            heading(document, "Enrollment and chronic conditions (R7)");
            AuditPacket.Enrollment e = p.enrollment();
            document.add(line("Enrolled " + e.enrolledAt() + "; billing practitioner NPI " + e.billingPractitioner()
                              + "; billing location time zone " + e.timeZone() + "; QMB: "
                              + e.qualifiedMedicareBeneficiary() + "; initiating visit required: "
                              + (e.initiatingVisitRequired() == null ? "not stated (treated as yes)"
                                      : e.initiatingVisitRequired())));
            for (ChronicCondition c : e.conditions()) {
                document.add(line("  " + c.code() + " " + c.description() + " — lasts 12 months: "
                                  + c.expectedToLast12Months() + ", significant risk: " + c.significantRisk()));
            }
            e.practitionerChanges().forEach(c -> add(document, line("  Practitioner changed from " + c.from()
                                                                    + " to " + c.to() + " effective "
                                                                    + c.effectiveAt())));
            if (e.dateOfDeath() != null) {
                document.add(line("Date of death: " + e.dateOfDeath()));
            }

            heading(document, "Consent evidence (R8)");
            if (p.consents().isEmpty()) {
                document.add(line("No consent on record."));
            }
            for (ConsentEvidence c : p.consents()) {
                document.add(line(c.decision() + " " + c.method() + " consent for NPI " + c.billingPractitioner()
                                  + ", obtained " + c.obtainedAt() + " by " + c.obtainedBy()
                                  + (c.documentRef() == null ? "" : ", document " + c.documentRef())));
                document.add(line("  Told: CCM available " + c.availabilityDisclosed() + "; cost sharing "
                                  + c.costSharingDisclosed() + "; one practitioner per month "
                                  + c.onePractitionerPerMonthDisclosed() + "; may stop at month end "
                                  + c.rightToStopDisclosed()));
                if (c.endedBy() != null) {
                    document.add(line("  Ended: " + c.endedBy() + (c.revokedAt() == null ? "" : ", revoked "
                                      + c.revokedAt()) + ", effective " + c.effectiveUntil()));
                }
            }

            heading(document, "Care plan (R10)");
            if (p.carePlanInForce() == null) {
                document.add(line("No care plan established by the end of the month."));
            } else {
                var plan = p.carePlanInForce();
                document.add(line("Version " + plan.version() + " in force, revised " + plan.revisedAt() + " by "
                                  + plan.revisedBy() + ", shared with the patient "
                                  + (plan.sharedWithPatientAt() == null ? "— not recorded"
                                          : plan.sharedWithPatientAt())));
                document.add(line("  Problems: " + String.join("; ", plan.problems())));
                document.add(line("  Expected outcome: " + plan.expectedOutcome()));
                document.add(line("  Measurable goals: " + String.join("; ", plan.measurableGoals())));
                document.add(line("  Interventions: " + String.join("; ", plan.plannedInterventions())));
                document.add(line("  Medication management: " + plan.medicationManagement()));
            }
            p.carePlanHistory().forEach(v -> add(document, line(
                    "  History: v" + v.version() + " " + v.revisedAt() + " by " + v.revisedBy()
                    + (v.substantialRevision() ? ", substantial" : "") + (v.sharedWithPatientAt() == null ? ""
                            : ", shared " + v.sharedWithPatientAt()))));

            heading(document, "Initiating visits (R9)");
            if (p.initiatingVisits().isEmpty()) {
                document.add(line("None on record."));
            }
            p.initiatingVisits().forEach(v -> add(document, line(
                    v.visitDate() + " " + v.visitType() + (v.emLevel() == null ? "" : " level " + v.emLevel())
                    + " by NPI " + v.practitioner() + (v.comprehensiveCarePlanning() ? ", with G0506" : ""))));

            heading(document, "Complexity, inpatient stays and concurrent services in the month (P1, R4, R5)");
            if (p.clinicalFacts().isEmpty()) {
                document.add(line("None on record."));
            }
            p.clinicalFacts().forEach(f -> add(document, line(f.kind() + ": " + f.detail())));

            heading(document, "Time entries touching the month (R3, P2, P4)");
            document.add(timeEntries(p.timeEntries()));

            heading(document, "Billing statement (R2, R5, R12, P1)");
            BillingStatementIssued s = p.statement();
            if (s == null) {
                document.add(line("The month has no statement. As evaluated now: family " + p.billingNow().family()
                                  + ", total " + p.billingNow().totalAmount() + ", blockers "
                                  + p.billingNow().blockers()));
            } else {
                document.add(line("Statement " + s.statementId() + " under NPI " + s.billingPractitioner()
                                  + ", family " + s.family() + ", date of service " + s.dateOfService()
                                  + ", rule data " + s.feeBasis().version() + ", conversion factor "
                                  + s.feeBasis().conversionFactor() + ", place of service "
                                  + (s.feeBasis().placeOfService() == null ? "not recorded"
                                          : s.feeBasis().placeOfService()) + " ("
                                  + s.feeBasis().settingOrDefault().name().toLowerCase(java.util.Locale.ROOT)
                                                     .replace('_', '-') + " rate)"));
                for (StatementLine l : s.lines()) {
                    document.add(line("  " + l.code() + " x" + l.units() + " at " + l.unit() + " = " + l.amount()
                                      + (l.basis() == null ? "" : " (" + l.basis() + ")")));
                }
                for (var addOn : s.addOns()) {
                    document.add(line("  " + addOn.code() + " for the initiating visit's claim, with "
                                      + (addOn.baseCode() == null ? "its base code (not recorded)" : addOn.baseCode())
                                      + " on " + addOn.visitDate() + " by NPI " + addOn.practitioner() + ": "
                                      + addOn.amount()));
                }
                document.add(line("  Minutes: staff " + s.minutes().staff() + ", billing practitioner "
                                  + s.minutes().billingPractitioner() + ", counted " + s.minutes().counted()));
                for (Reason r : s.flags()) {
                    document.add(line("  Flag " + r));
                }
                s.alternatives().forEach(a -> add(document, line("  Not billed: " + a.family() + " — "
                                                                 + a.reasons().stream().map(Object::toString)
                                                                    .reduce((x, y) -> x + "; " + y).orElse(""))));
                document.add(line("  Events counted: " + s.eventsCounted().size()));
                for (CountedEvent c : s.eventsCounted()) {
                    document.add(new Paragraph(c.aggregateId() + " #" + c.sequence() + " " + c.eventId() + " "
                                               + c.hash(), SMALL));
                }
            }
            for (BillingAdjustmentIssued a : p.adjustments()) {
                document.add(line("Adjustment " + a.adjustmentId() + " (" + a.kind() + ") on " + a.identifiedOn()
                                  + ", replaces " + a.replacesClaimId() + "; amount due " + money(a.amountDue())
                                  + ", overpayment " + money(a.overpayment()) + (a.refundDueBy() == null ? ""
                                          : ", refund due by " + a.refundDueBy()) + ", coinsurance to refund "
                                  + money(a.coinsuranceRefund())));
                a.reasons().forEach(r -> add(document, line("  " + r)));
            }

            heading(document, "Hash-chain verification of the streams cited");
            document.add(line(p.integrity().intact() ? "INTACT: every hash recomputes and chains."
                                      : "BROKEN: see below."));
            for (StreamCheck c : p.integrity().streams()) {
                document.add(line("  " + c.stream() + ": " + c.eventsChecked() + " events, "
                                  + (c.intact() ? "intact" : "BROKEN — " + c.firstBreak())));
            }
            document.close();
        } catch (DocumentException e) {
            throw new IllegalStateException("audit packet PDF could not be written", e);
        }
        return out.toByteArray();
    }

    private static PdfPTable timeEntries(List<TimeEntry> entries) {
        PdfPTable table = new PdfPTable(new float[] {14, 22, 10, 12, 14, 28});
        table.setWidthPercentage(100);
        for (String header : List.of("Entry", "Started", "Minutes", "Role", "Performer", "Status / changes")) {
            table.addCell(new PdfPCell(new Phrase(header, HEADING)));
        }
        for (TimeEntry t : entries) {
            Font font = "LIVE".equals(t.status()) ? BODY : STRUCK;
            table.addCell(new PdfPCell(new Phrase(t.entryId(), font)));
            table.addCell(new PdfPCell(new Phrase(t.startedAt().toString(), font)));
            table.addCell(new PdfPCell(new Phrase(String.valueOf(t.minutes()), font)));
            table.addCell(new PdfPCell(new Phrase(t.role() + " " + t.activity(), font)));
            table.addCell(new PdfPCell(new Phrase(t.performerId() + " (logged by " + t.loggedBy() + ")", font)));
            Phrase status = new Phrase(t.status(), BODY);
            for (Change c : t.changes()) {
                status.add(new Chunk("\n" + c.kind() + " " + c.recordedAt() + " by " + c.actor() + ": "
                                     + c.reason() + (c.minutes() == null ? ""
                                             : " (" + c.previousMinutes() + " -> " + c.minutes() + " min, start "
                                               + c.startedAt() + ")"), BODY));
            }
            table.addCell(new PdfPCell(status));
        }
        return table;
    }

    private static String money(java.math.BigDecimal amount) {
        return amount == null ? "unknown" : amount.toPlainString();
    }

    private static Paragraph line(String text) {
        return new Paragraph(text, BODY);
    }

    private static void heading(Document document, String text) {
        Paragraph heading = new Paragraph(text, HEADING);
        heading.setSpacingBefore(8);
        add(document, heading);
    }

    private static void add(Document document, com.lowagie.text.Element element) {
        try {
            document.add(element);
        } catch (DocumentException e) {
            throw new IllegalStateException("audit packet PDF could not be written", e);
        }
    }
}
