package org.ccmledger.audit;

import java.io.ByteArrayOutputStream;
import java.time.OffsetDateTime;
import java.time.format.DateTimeFormatter;
import java.util.List;
import java.util.Locale;
import java.util.Map;

import org.ccmledger.audit.AuditPacket.CarePlanVersion;
import org.ccmledger.audit.AuditPacket.Change;
import org.ccmledger.audit.AuditPacket.ConsentEvidence;
import org.ccmledger.audit.AuditPacket.Person;
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
import com.lowagie.text.Element;
import com.lowagie.text.Font;
import com.lowagie.text.PageSize;
import com.lowagie.text.Paragraph;
import com.lowagie.text.Phrase;
import com.lowagie.text.Rectangle;
import com.lowagie.text.pdf.ColumnText;
import com.lowagie.text.pdf.PdfContentByte;
import com.lowagie.text.pdf.PdfPCell;
import com.lowagie.text.pdf.PdfPTable;
import com.lowagie.text.pdf.PdfPageEventHelper;
import com.lowagie.text.pdf.PdfTemplate;
import com.lowagie.text.pdf.PdfWriter;

/**
 * The audit packet as a PDF a reviewer can read and file: a one-page summary first (what the month bills, why, what
 * blocks it, what to look at), then the evidence section by section. Every page carries the practice, patient and
 * month at the top and "Page n of m" at the bottom; times are the billing location's, with the offset; tables hold
 * only words that fit their columns (identifiers go on lines of their own). Written with OpenPDF.
 */
final class AuditPacketPdf {

    private static final Font TITLE = new Font(Font.HELVETICA, 15, Font.BOLD);
    private static final Font HEADING = new Font(Font.HELVETICA, 11, Font.BOLD);
    private static final Font LABEL = new Font(Font.HELVETICA, 8.5f, Font.BOLD);
    private static final Font BODY = new Font(Font.HELVETICA, 8.5f);
    private static final Font FLAG = new Font(Font.HELVETICA, 8.5f, Font.BOLD);
    private static final Font STRUCK = new Font(Font.HELVETICA, 8.5f, Font.STRIKETHRU);
    private static final Font SMALL = new Font(Font.COURIER, 6.5f);
    private static final Font MARGIN = new Font(Font.HELVETICA, 7.5f);
    private static final DateTimeFormatter TIME = DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm xxx", Locale.ROOT);
    private static final DateTimeFormatter CLOCK = DateTimeFormatter.ofPattern("HH:mm xxx", Locale.ROOT);

    private AuditPacketPdf() {
    }

    static byte[] render(AuditPacket p) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        Document document = new Document(PageSize.LETTER, 40, 40, 52, 48);
        try {
            PdfWriter writer = PdfWriter.getInstance(document, out);
            writer.setPageEvent(new Margins("CCM audit packet · practice " + p.practiceId() + " · patient "
                                            + p.patientId() + " · " + p.month()));
            document.addTitle("CCM audit packet " + p.practiceId() + " / " + p.patientId() + " / " + p.month());
            document.addSubject("Chronic care management documentation for one patient-month, from the ledger");
            document.addCreator("ccm-ledger");
            document.open();
            summary(document, p);
            document.newPage();
            evidence(document, p);
            document.close();
        } catch (DocumentException e) {
            throw new IllegalStateException("audit packet PDF could not be written", e);
        }
        return out.toByteArray();
    }

    private static void summary(Document d, AuditPacket p) throws DocumentException {
        d.add(new Paragraph("CCM audit packet — " + p.month(), TITLE));
        d.add(line("Practice " + p.practiceId() + ", patient " + p.patientId() + ". Generated " + time(p.generatedAt())
                   + " from the ledger; times are in " + p.timeZone() + " with their UTC offset."));
        AuditPacket.Beneficiary b = p.beneficiary();
        heading(d, "Beneficiary");
        d.add(switch (b.status()) {
            case "RECORDED" -> line("Name " + b.name() + "; born " + b.birthDate() + "; sex " + b.sex()
                                    + "; Medicare Beneficiary Identifier (MBI) " + b.mbi() + ".");
            case "ERASED" -> line("Identity erased (crypto-shredded): name, birth date and MBI can no longer be read.");
            default -> line("Name, birth date and MBI: not recorded.");
        });
        AuditPacket.Summary s = p.summary();
        heading(d, "Summary");
        PdfPTable table = table(new float[] {28, 72});
        row(table, "Status", s.status().toLowerCase(Locale.ROOT));
        row(table, "Bills", (s.family() == null ? "nothing" : s.family().replace('_', ' ').toLowerCase(Locale.ROOT))
                            + (s.codes().isEmpty() ? "" : ": " + String.join(", ", s.codes())));
        row(table, "Amount", s.amount() == null ? "none" : s.amount());
        row(table, "Billing practitioner", person(p.people(), p.enrollment().billingPractitioner()));
        row(table, "Why", s.why().isEmpty() ? "—" : String.join("\n", s.why()));
        row(table, "Blockers", s.blockers().isEmpty() ? "none" : String.join("\n", s.blockers()));
        d.add(table);
        heading(d, "Flags for the reviewer");
        if (s.flags().isEmpty()) {
            d.add(line("None."));
        }
        for (String flag : s.flags()) {
            d.add(new Paragraph("• " + flag, FLAG));
        }
        heading(d, "OIG risks (not blockers: each asks for a review)");
        if (p.risks().isEmpty()) {
            d.add(line("None found."));
        }
        for (RiskFinding risk : p.risks()) {
            d.add(new Paragraph("• " + words(risk.risk()) + " (" + risk.rule() + "): " + risk.detail(), FLAG));
            d.add(new Paragraph("   Source: " + risk.source(), BODY));
            for (RiskFinding.Review review : risk.reviews()) {
                d.add(new Paragraph("   Reviewed " + review.reviewedAt() + " by " + person(p.people(),
                        review.reviewedBy()) + ": " + words(review.decision()) + (review.reference() == null ? ""
                        : " (" + review.reference() + ")") + " — " + review.note(), BODY));
            }
        }
    }

    private static void evidence(Document d, AuditPacket p) throws DocumentException {
        AuditPacket.Enrollment e = p.enrollment();
        heading(d, "People named in this packet");
        PdfPTable people = table(new float[] {30, 34, 16, 20});
        header(people, "Id in the ledger", "Name", "Credential", "NPI");
        for (Person person : p.people().values()) {
            people.addCell(cell(person.id(), BODY));
            people.addCell(cell(person.name() == null ? "not in the staff directory" : person.name(), BODY));
            people.addCell(cell(person.credential() == null ? "—" : person.credential(), BODY));
            people.addCell(cell(person.npi() == null ? "—" : person.npi(), BODY));
        }
        d.add(people);

        heading(d, "Enrollment and chronic conditions (R7)");
        d.add(line("Enrolled " + time(e.enrolledAt()) + "; billing practitioner " + person(p.people(),
                e.billingPractitioner()) + "; QMB: " + yes(e.qualifiedMedicareBeneficiary())
                   + "; initiating visit required: " + (e.initiatingVisitRequired() == null
                        ? "not stated (treated as yes)" : yes(e.initiatingVisitRequired()))));
        for (ChronicCondition c : e.conditions()) {
            d.add(line("  " + c.code() + " " + c.description() + " — expected to last 12 months: "
                       + yes(c.expectedToLast12Months()) + ", significant risk: " + yes(c.significantRisk())));
        }
        e.practitionerChanges().forEach(c -> add(d, line("  Billing practitioner changed from "
                + person(p.people(), c.from()) + " to " + person(p.people(), c.to()) + " effective "
                + time(c.effectiveAt()))));
        if (e.dateOfDeath() != null) {
            d.add(line("Date of death: " + e.dateOfDeath()));
        }

        heading(d, "Consent (R8)");
        if (p.consents().isEmpty()) {
            d.add(line("No consent on record."));
        }
        for (ConsentEvidence c : p.consents()) {
            d.add(line(c.decision() + " " + c.method() + " consent for " + person(p.people(), c.billingPractitioner())
                       + ", obtained " + time(c.obtainedAt()) + " by " + person(p.people(), c.obtainedBy())
                       + (c.documentRef() == null ? "" : ", document " + c.documentRef())));
            d.add(line("  Told: CCM available " + yes(c.availabilityDisclosed()) + "; cost sharing "
                       + yes(c.costSharingDisclosed()) + "; one practitioner per month "
                       + yes(c.onePractitionerPerMonthDisclosed()) + "; may stop at month end "
                       + yes(c.rightToStopDisclosed())));
            if (c.relativeToFirstCountedMinute() != null) {
                d.add(new Paragraph("  Obtained " + c.relativeToFirstCountedMinute() + " the month's first counted "
                                    + "minute (" + time(c.firstCountedMinuteAt()) + ")",
                                    Boolean.TRUE.equals(c.obtainedBeforeFirstCountedMinute()) ? BODY : FLAG));
            }
            if (c.endedBy() != null) {
                d.add(line("  Ended: " + c.endedBy() + (c.revokedAt() == null ? "" : ", revoked "
                           + time(c.revokedAt())) + ", effective " + time(c.effectiveUntil())));
            }
        }

        heading(d, "Care plan (R10)");
        d.add(line(p.carePlanInForce() == null ? "No care plan established by the end of the month."
                : "Version " + p.carePlanInForce().version() + " in force on the date of service."));
        for (CarePlanVersion v : p.carePlanHistory()) {
            carePlan(d, v, p.people());
        }

        heading(d, "Initiating visits (R9)");
        if (p.initiatingVisits().isEmpty()) {
            d.add(line("None on record."));
        }
        p.initiatingVisits().forEach(v -> add(d, line(
                v.visitDate() + " " + v.visitType() + (v.emLevel() == null ? "" : " level " + v.emLevel()) + " by "
                + person(p.people(), v.practitioner()) + (v.comprehensiveCarePlanning() ? ", with G0506" : ""))));

        heading(d, "Complexity, inpatient stays and concurrent services in the month (P1, R4, R5)");
        if (p.clinicalFacts().isEmpty()) {
            d.add(line("None on record."));
        }
        p.clinicalFacts().forEach(f -> add(d, line(f.kind() + ": " + f.detail())));

        d.add(timeEntries(p.timeEntries(), p.people(), p.lateEntryDays()));
        for (TimeEntry t : p.timeEntries()) {
            d.add(new Paragraph("entry " + t.entryId() + " event " + t.eventId(), SMALL));
        }

        statement(d, p);

        heading(d, "Integrity proof");
        d.add(line(p.integrity().intact() ? "INTACT: every hash recomputes and chains."
                : "BROKEN: see below."));
        for (StreamCheck c : p.integrity().streams()) {
            d.add(line("  " + c.stream() + ": " + c.eventsChecked() + " events, "
                       + (c.intact() ? "intact" : "BROKEN — " + c.firstBreak())
                       + (c.lastGlobalIndex() == null ? "" : ", last global index " + c.lastGlobalIndex())));
            if (c.lastHash() != null) {
                d.add(new Paragraph("    last hash " + c.lastHash(), SMALL));
            }
        }
        AuditPacket.SealingDigest digest = p.integrity().sealedBy();
        d.add(line(digest == null ? "Not yet sealed by a signed digest."
                : "Sealed by digest " + digest.sequence() + " (global indexes 1 to " + digest.sealedUpTo()
                  + ", taken " + digest.createdAt() + ")"));
        if (digest != null) {
            d.add(new Paragraph("    Merkle root " + digest.merkleRoot() + "\n    key id " + digest.keyId(), SMALL));
        }
        d.add(line("How to check:"));
        p.integrity().howToCheck().forEach(h -> add(d, line("  • " + h)));
    }

    private static void carePlan(Document d, CarePlanVersion v, Map<String, Person> people) {
        PdfPTable table = table(new float[] {28, 72});
        title(table, new Paragraph("Version " + v.version() + ", revised " + time(v.revisedAt()) + " by "
                                   + person(people, v.revisedBy()) + (v.substantialRevision()
                                           ? " (substantial revision)" : "") + "; shared with the patient "
                                   + (v.sharedWithPatientAt() == null ? "— not recorded"
                                           : time(v.sharedWithPatientAt())), LABEL));
        row(table, "Problems", String.join("; ", v.problems()));
        row(table, "Expected outcome", v.expectedOutcome());
        row(table, "Measurable goals", String.join("; ", v.measurableGoals()));
        row(table, "Symptom management", v.symptomManagement());
        row(table, "Planned interventions", String.join("; ", v.plannedInterventions()));
        row(table, "Medication management", v.medicationManagement());
        row(table, "Community resources", String.join("; ", v.communityResources()));
        row(table, "Coordination with others", String.join("; ", v.coordination()));
        row(table, "Review schedule", v.reviewSchedule());
        add(d, table);
    }

    private static PdfPTable timeEntries(List<TimeEntry> entries, Map<String, Person> people, int lateDays) {
        PdfPTable table = table(new float[] {8, 15, 17, 6, 20, 34});
        // the heading travels with the table: never alone at the foot of a page, repeated where the table goes on
        title(table, new Paragraph("Time entries touching the month (R3, P2, P4)", HEADING));
        title(table, line("Performed: when the care took place; recorded: when it was written into the ledger. "
                          + "Entries recorded more than " + lateDays + " days after the care are marked LATE."));
        header(table, "Entry", "Performed", "Recorded", "Min.", "Performer", "Activity, note and changes");
        for (TimeEntry t : entries) {
            Font font = "VOIDED".equals(t.status()) ? STRUCK : BODY;
            table.addCell(cell(t.entryId(), font));
            table.addCell(cell(cellTime(t.performedAt()), font));
            Phrase recorded = new Phrase(cellTime(t.originallyRecordedAt() != null ? t.originallyRecordedAt()
                                                          : t.recordedAt()), font);
            recorded.add(new Chunk("\n" + t.recordedDaysAfter() + (t.recordedDaysAfter() == 1 ? " day" : " days")
                                   + " after" + (t.late() ? " — LATE" : ""), t.late() ? FLAG : BODY));
            if (t.originallyRecordedAt() != null) {
                recorded.add(new Chunk("\nin the previous product; imported " + cellTime(t.recordedAt()), BODY));
            }
            table.addCell(new PdfPCell(recorded));
            table.addCell(cell(String.valueOf(t.minutes()), font));
            table.addCell(cell(person(people, t.performerId()) + ", " + words(t.role()), font));
            Phrase what = new Phrase(words(t.activity()) + (t.note() == null ? "" : ": " + t.note()), font);
            what.add(new Chunk("\n" + t.status().toLowerCase(Locale.ROOT)
                               + (t.recordedBy() == null || t.recordedBy().equals(t.performerId()) ? ""
                                       : ", recorded by " + person(people, t.recordedBy())), BODY));
            for (Change c : t.changes()) {
                what.add(new Chunk("\n" + c.kind() + " " + time(c.recordedAt()) + " by " + person(people, c.actor())
                                   + ": " + c.reason() + (c.minutes() == null ? ""
                                           : " (" + c.previousMinutes() + " -> " + c.minutes() + " min, performed "
                                             + time(c.startedAt()) + ")"), BODY));
            }
            table.addCell(new PdfPCell(what));
        }
        return table;
    }

    private static void statement(Document d, AuditPacket p) throws DocumentException {
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

    /** The header at the top and "Page n of m" at the bottom of every page. */
    private static final class Margins extends PdfPageEventHelper {
        private final String header;
        private PdfTemplate total;
        private int pages;

        Margins(String header) {
            this.header = header;
        }

        @Override
        public void onOpenDocument(PdfWriter writer, Document document) {
            total = writer.getDirectContent().createTemplate(40, 12);
        }

        @Override
        public void onEndPage(PdfWriter writer, Document document) {
            pages = writer.getPageNumber();
            PdfContentByte canvas = writer.getDirectContent();
            Rectangle page = document.getPageSize();
            ColumnText.showTextAligned(canvas, Element.ALIGN_LEFT, new Phrase(header, MARGIN), document.left(),
                                       page.getTop() - 30, 0);
            String text = "Page " + pages + " of ";
            Phrase phrase = new Phrase(text, MARGIN);
            float textWidth = MARGIN.getCalculatedBaseFont(false).getWidthPoint(text, MARGIN.getSize());
            float x = document.right() - textWidth - 14;
            ColumnText.showTextAligned(canvas, Element.ALIGN_LEFT, phrase, x, page.getBottom() + 24, 0);
            canvas.addTemplate(total, x + textWidth, page.getBottom() + 24);
        }

        @Override
        public void onCloseDocument(PdfWriter writer, Document document) {
            ColumnText.showTextAligned(total, Element.ALIGN_LEFT, new Phrase(String.valueOf(pages), MARGIN), 0, 0, 0);
        }
    }

    private static PdfPTable table(float[] widths) {
        PdfPTable table = new PdfPTable(widths);
        table.setWidthPercentage(100);
        table.setSpacingBefore(4);
        table.setSpacingAfter(6);
        table.setHeaderRows(0);
        return table;
    }

    private static void header(PdfPTable table, String... names) {
        for (String name : names) {
            PdfPCell cell = cell(name, LABEL);
            cell.setGrayFill(0.9f);
            table.addCell(cell);
        }
        table.setHeaderRows(table.getHeaderRows() + 1);
    }

    /** A row across the table, without borders, repeated with the header where the table goes on to a new page. */
    private static void title(PdfPTable table, Paragraph text) {
        PdfPCell cell = new PdfPCell();
        cell.addElement(text);
        cell.setColspan(table.getNumberOfColumns());
        cell.setBorder(Rectangle.NO_BORDER);
        cell.setPaddingLeft(0);
        table.addCell(cell);
        table.setHeaderRows(table.getHeaderRows() + 1);
    }

    private static void row(PdfPTable table, String label, String value) {
        table.addCell(cell(label, LABEL));
        table.addCell(cell(value == null ? "—" : value, BODY));
    }

    private static PdfPCell cell(String text, Font font) {
        PdfPCell cell = new PdfPCell(new Phrase(text, font));
        cell.setPadding(3);
        return cell;
    }

    /** A name and credential for an id, else the id. */
    private static String person(Map<String, Person> people, String id) {
        Person person = id == null ? null : people.get(id);
        if (person == null || person.name() == null) {
            return id == null ? "unknown" : id;
        }
        return person.name() + (person.credential() == null ? "" : ", " + person.credential())
               + (person.npi() == null ? "" : " (NPI " + person.npi() + ")");
    }

    /** CLINICAL_STAFF as "clinical staff": words a table can wrap between. */
    private static String words(String constant) {
        return constant == null ? "" : constant.replace('_', ' ').toLowerCase(Locale.ROOT);
    }

    private static String yes(boolean value) {
        return value ? "yes" : "no";
    }

    /** A time on two lines, date then time and offset, so that a narrow column never splits it. */
    private static String cellTime(OffsetDateTime time) {
        return time == null ? "—" : time.toLocalDate() + "\n" + time.format(CLOCK);
    }

    private static String time(OffsetDateTime time) {
        return time == null ? "—" : time.format(TIME);
    }

    private static String money(java.math.BigDecimal amount) {
        return amount == null ? "unknown" : amount.toPlainString();
    }

    private static Paragraph line(String text) {
        return new Paragraph(text, BODY);
    }

    private static void heading(Document document, String text) {
        Paragraph heading = new Paragraph(text, HEADING);
        heading.setSpacingBefore(10);
        heading.setSpacingAfter(4);
        heading.setKeepTogether(true);
        add(document, heading);
    }

    private static void add(Document document, Element element) {
        try {
            document.add(element);
        } catch (DocumentException e) {
            throw new IllegalStateException("audit packet PDF could not be written", e);
        }
    }
}
