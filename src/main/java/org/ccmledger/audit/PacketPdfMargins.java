package org.ccmledger.audit;

import static org.ccmledger.audit.PacketPdfParts.MARGIN;

import com.lowagie.text.Document;
import com.lowagie.text.Element;
import com.lowagie.text.Phrase;
import com.lowagie.text.Rectangle;
import com.lowagie.text.pdf.ColumnText;
import com.lowagie.text.pdf.PdfContentByte;
import com.lowagie.text.pdf.PdfPageEventHelper;
import com.lowagie.text.pdf.PdfTemplate;
import com.lowagie.text.pdf.PdfWriter;

/** The audit packet PDF's header at the top and "Page n of m" at the bottom of every page. */
final class PacketPdfMargins extends PdfPageEventHelper {
    private final String header;
    private PdfTemplate total;
    private int pages;

    PacketPdfMargins(String header) {
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
