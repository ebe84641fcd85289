package org.ccmledger.audit;

import java.time.OffsetDateTime;
import java.time.format.DateTimeFormatter;
import java.util.Locale;
import java.util.Map;

import org.ccmledger.audit.AuditPacket.Person;

import com.lowagie.text.Document;
import com.lowagie.text.DocumentException;
import com.lowagie.text.Element;
import com.lowagie.text.Font;
import com.lowagie.text.Paragraph;
import com.lowagie.text.Phrase;
import com.lowagie.text.Rectangle;
import com.lowagie.text.pdf.PdfPCell;
import com.lowagie.text.pdf.PdfPTable;

/**
 * The audit packet PDF's type and building blocks: its fonts, tables with repeated headers and titles, labelled
 * rows, headings, and how people, times, amounts and constants read on paper. What goes where is
 * {@link AuditPacketPdf}'s.
 */
final class PacketPdfParts {

    static final Font TITLE = new Font(Font.HELVETICA, 15, Font.BOLD);
    static final Font HEADING = new Font(Font.HELVETICA, 11, Font.BOLD);
    static final Font LABEL = new Font(Font.HELVETICA, 8.5f, Font.BOLD);
    static final Font BODY = new Font(Font.HELVETICA, 8.5f);
    static final Font FLAG = new Font(Font.HELVETICA, 8.5f, Font.BOLD);
    static final Font STRUCK = new Font(Font.HELVETICA, 8.5f, Font.STRIKETHRU);
    static final Font SMALL = new Font(Font.COURIER, 6.5f);
    static final Font MARGIN = new Font(Font.HELVETICA, 7.5f);
    static final DateTimeFormatter TIME = DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm xxx", Locale.ROOT);
    static final DateTimeFormatter CLOCK = DateTimeFormatter.ofPattern("HH:mm xxx", Locale.ROOT);

    private PacketPdfParts() {
    }

    static PdfPTable table(float[] widths) {
        PdfPTable table = new PdfPTable(widths);
        table.setWidthPercentage(100);
        table.setSpacingBefore(4);
        table.setSpacingAfter(6);
        table.setHeaderRows(0);
        return table;
    }

    static void header(PdfPTable table, String... names) {
        for (String name : names) {
            PdfPCell cell = cell(name, LABEL);
            cell.setGrayFill(0.9f);
            table.addCell(cell);
        }
        table.setHeaderRows(table.getHeaderRows() + 1);
    }

    /** A row across the table, without borders, repeated with the header where the table goes on to a new page. */
    static void title(PdfPTable table, Paragraph text) {
        PdfPCell cell = new PdfPCell();
        cell.addElement(text);
        cell.setColspan(table.getNumberOfColumns());
        cell.setBorder(Rectangle.NO_BORDER);
        cell.setPaddingLeft(0);
        table.addCell(cell);
        table.setHeaderRows(table.getHeaderRows() + 1);
    }

    static void row(PdfPTable table, String label, String value) {
        table.addCell(cell(label, LABEL));
        table.addCell(cell(value == null ? "—" : value, BODY));
    }

    static PdfPCell cell(String text, Font font) {
        PdfPCell cell = new PdfPCell(new Phrase(text, font));
        cell.setPadding(3);
        return cell;
    }

    /** A name and credential for an id, else the id. */
    static String person(Map<String, Person> people, String id) {
        Person person = id == null ? null : people.get(id);
        if (person == null || person.name() == null) {
            return id == null ? "unknown" : id;
        }
        return person.name() + (person.credential() == null ? "" : ", " + person.credential())
               + (person.npi() == null ? "" : " (NPI " + person.npi() + ")");
    }

    /** CLINICAL_STAFF as "clinical staff": words a table can wrap between. */
    static String words(String constant) {
        return constant == null ? "" : constant.replace('_', ' ').toLowerCase(Locale.ROOT);
    }

    static String yes(boolean value) {
        return value ? "yes" : "no";
    }

    /** A time on two lines, date then time and offset, so that a narrow column never splits it. */
    static String cellTime(OffsetDateTime time) {
        return time == null ? "—" : time.toLocalDate() + "\n" + time.format(CLOCK);
    }

    static String time(OffsetDateTime time) {
        return time == null ? "—" : time.format(TIME);
    }

    static String money(java.math.BigDecimal amount) {
        return amount == null ? "unknown" : amount.toPlainString();
    }

    static Paragraph line(String text) {
        return new Paragraph(text, BODY);
    }

    static void heading(Document document, String text) {
        Paragraph heading = new Paragraph(text, HEADING);
        heading.setSpacingBefore(10);
        heading.setSpacingAfter(4);
        heading.setKeepTogether(true);
        add(document, heading);
    }

    static void add(Document document, Element element) {
        try {
            document.add(element);
        } catch (DocumentException e) {
            throw new IllegalStateException("audit packet PDF could not be written", e);
        }
    }
}
