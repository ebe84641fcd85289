package org.ccmledger.audit;

import static org.ccmledger.audit.PacketPdfParts.BODY;
import static org.ccmledger.audit.PacketPdfParts.FLAG;
import static org.ccmledger.audit.PacketPdfParts.HEADING;
import static org.ccmledger.audit.PacketPdfParts.LABEL;
import static org.ccmledger.audit.PacketPdfParts.STRUCK;
import static org.ccmledger.audit.PacketPdfParts.add;
import static org.ccmledger.audit.PacketPdfParts.cell;
import static org.ccmledger.audit.PacketPdfParts.cellTime;
import static org.ccmledger.audit.PacketPdfParts.header;
import static org.ccmledger.audit.PacketPdfParts.heading;
import static org.ccmledger.audit.PacketPdfParts.line;
import static org.ccmledger.audit.PacketPdfParts.person;
import static org.ccmledger.audit.PacketPdfParts.row;
import static org.ccmledger.audit.PacketPdfParts.table;
import static org.ccmledger.audit.PacketPdfParts.time;
import static org.ccmledger.audit.PacketPdfParts.title;
import static org.ccmledger.audit.PacketPdfParts.words;

import java.util.List;
import java.util.Locale;
import java.util.Map;

import org.ccmledger.audit.AuditPacket.CarePlanVersion;
import org.ccmledger.audit.AuditPacket.Change;
import org.ccmledger.audit.AuditPacket.Person;
import org.ccmledger.audit.AuditPacket.TimeEntry;

import com.lowagie.text.Chunk;
import com.lowagie.text.Document;
import com.lowagie.text.Font;
import com.lowagie.text.Paragraph;
import com.lowagie.text.Phrase;
import com.lowagie.text.pdf.PdfPCell;
import com.lowagie.text.pdf.PdfPTable;

/** The audit packet PDF's record tables: a care-plan version and the month's time entries with their changes. */
final class PacketPdfRecord {

    private PacketPdfRecord() {
    }

    static void carePlan(Document d, CarePlanVersion v, Map<String, Person> people) {
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

    static PdfPTable timeEntries(List<TimeEntry> entries, Map<String, Person> people, int lateDays) {
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
}
