package org.ccmledger.audit;

import static org.ccmledger.audit.PacketPdfParts.BODY;
import static org.ccmledger.audit.PacketPdfParts.FLAG;
import static org.ccmledger.audit.PacketPdfParts.SMALL;
import static org.ccmledger.audit.PacketPdfParts.TITLE;
import static org.ccmledger.audit.PacketPdfParts.add;
import static org.ccmledger.audit.PacketPdfParts.cell;
import static org.ccmledger.audit.PacketPdfParts.header;
import static org.ccmledger.audit.PacketPdfParts.heading;
import static org.ccmledger.audit.PacketPdfParts.line;
import static org.ccmledger.audit.PacketPdfParts.person;
import static org.ccmledger.audit.PacketPdfParts.row;
import static org.ccmledger.audit.PacketPdfParts.table;
import static org.ccmledger.audit.PacketPdfParts.time;
import static org.ccmledger.audit.PacketPdfParts.words;
import static org.ccmledger.audit.PacketPdfParts.yes;

import java.io.ByteArrayOutputStream;
import java.util.Locale;

import org.ccmledger.audit.AuditPacket.CarePlanVersion;
import org.ccmledger.audit.AuditPacket.ConsentEvidence;
import org.ccmledger.audit.AuditPacket.Person;
import org.ccmledger.audit.AuditPacket.StreamCheck;
import org.ccmledger.audit.AuditPacket.TimeEntry;
import org.ccmledger.patient.ChronicCondition;

import com.lowagie.text.Document;
import com.lowagie.text.DocumentException;
import com.lowagie.text.PageSize;
import com.lowagie.text.Paragraph;
import com.lowagie.text.pdf.PdfPTable;
import com.lowagie.text.pdf.PdfWriter;

/**
 * The audit packet as a PDF a reviewer can read and file: a one-page summary first (what the month bills, why, what
 * blocks it, what to look at), then the evidence section by section. Every page carries the practice, patient and
 * month at the top and "Page n of m" at the bottom; times are the billing location's, with the offset; tables hold
 * only words that fit their columns (identifiers go on lines of their own). Written with OpenPDF.
 */
final class AuditPacketPdf {


    private AuditPacketPdf() {
    }

    static byte[] render(AuditPacket p) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        Document document = new Document(PageSize.LETTER, 40, 40, 52, 48);
        try {
            PdfWriter writer = PdfWriter.getInstance(document, out);
            writer.setPageEvent(new PacketPdfMargins("CCM audit packet · practice " + p.practiceId() + " · patient "
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
            PacketPdfRecord.carePlan(d, v, p.people());
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

        d.add(PacketPdfRecord.timeEntries(p.timeEntries(), p.people(), p.lateEntryDays()));
        for (TimeEntry t : p.timeEntries()) {
            d.add(new Paragraph("entry " + t.entryId() + " event " + t.eventId(), SMALL));
        }

        PacketPdfStatement.statement(d, p);

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

}
