package org.ccmledger.platform.web;

/** RFC 4180 cells for every CSV export; a cell that a spreadsheet would run as a formula is prefixed with an apostrophe. */
public final class Csv {

    private Csv() {
    }

    public static String cell(String value) {
        if (value == null) {
            return "";
        }
        String safe = !value.isEmpty() && "=+-@".indexOf(value.charAt(0)) >= 0 ? "'" + value : value;
        if (safe.contains(",") || safe.contains("\"") || safe.contains("\n") || safe.contains("\r")) {
            return "\"" + safe.replace("\"", "\"\"") + "\"";
        }
        return safe;
    }
}
