package org.ccmledger.billing.rules;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.math.BigDecimal;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * Reads the CMS National Physician Fee Schedule Relative Value File as CMS publishes it (the CSV form of
 * {@code PPRRVU<year>_<release>.csv}): title and copyright rows first, then a column header split over two rows whose
 * joined names identify the columns ({@code STATUS CODE}, {@code WORK RVU}, {@code NON-FAC PE RVU}, {@code FACILITY PE
 * RVU}, {@code MP RVU}, {@code NON-FACILITY TOTAL}, {@code FACILITY TOTAL}, {@code GLOB DAYS}, {@code CONV FACTOR} …),
 * then one row per code and modifier. Columns are found by name, so a column CMS adds or moves does not shift the
 * others. Only rows without a modifier are kept (the global service), and only for the codes asked for; descriptions
 * (AMA copyright) are never kept.
 */
final class RelativeValueFile {

    static final String HCPCS = "HCPCS";
    static final String MOD = "MOD";
    static final String STATUS = "STATUS CODE";
    static final String WORK = "WORK RVU";
    static final String NON_FACILITY_PE = "NON-FAC PE RVU";
    static final String NON_FACILITY_NA = "NON-FAC NA INDICATOR";
    static final String FACILITY_PE = "FACILITY PE RVU";
    static final String FACILITY_NA = "FACILITY NA INDICATOR";
    static final String MALPRACTICE = "MP RVU";
    static final String NON_FACILITY_TOTAL = "NON-FACILITY TOTAL";
    static final String FACILITY_TOTAL = "FACILITY TOTAL";
    static final String GLOBAL = "GLOB DAYS";
    static final String CONVERSION_FACTOR = "CONV FACTOR";
    private static final List<String> REQUIRED = List.of(HCPCS, MOD, STATUS, WORK, NON_FACILITY_PE, FACILITY_PE,
                                                         MALPRACTICE, NON_FACILITY_TOTAL, FACILITY_TOTAL, GLOBAL);
    private static final Pattern CODE = Pattern.compile("[0-9A-Z]{5}");
    private static final Pattern STATUS_CODE = Pattern.compile("[A-Z]");
    private static final Pattern GLOBAL_DAYS = Pattern.compile("XXX|YYY|ZZZ|MMM|\\d{3}");

    /** A line of the file that is not what CMS publishes: where, which column, what. */
    static final class Problem extends IllegalArgumentException {
        final int line;
        final String field;

        Problem(int line, String field, String message) {
            super("line " + line + (field == null ? "" : ", " + field) + ": " + message);
            this.line = line;
            this.field = field;
        }
    }

    /** One code's global row. */
    record Row(int line, String code, String status, String global, BigDecimal work, BigDecimal nonFacilityPe,
               boolean nonFacilityNotApplicable, BigDecimal facilityPe, boolean facilityNotApplicable,
               BigDecimal malpractice, BigDecimal nonFacilityTotal, BigDecimal facilityTotal,
               BigDecimal conversionFactor) {
    }

    private RelativeValueFile() {
    }

    /** The global rows of {@code codes} found in the file, by code; refuses a malformed file naming line and column. */
    static Map<String, Row> read(InputStream in, Set<String> codes) throws IOException {
        BufferedReader reader = new BufferedReader(new InputStreamReader(in, StandardCharsets.ISO_8859_1));
        Map<String, Integer> columns = null;
        List<String> previous = List.of();
        Map<String, Row> rows = new LinkedHashMap<>();
        String text;
        int line = 0;
        while ((text = reader.readLine()) != null) {
            line++;
            if (text.isBlank()) {
                continue;
            }
            List<String> cells = cells(text, line);
            if (columns == null) {
                if (cells.size() > 1 && cells.get(0).strip().equalsIgnoreCase(HCPCS)
                        && cells.get(1).strip().equalsIgnoreCase(MOD)) {
                    columns = columns(previous, cells, line);
                } else {
                    previous = cells;
                }
                continue;
            }
            String code = cell(cells, columns, HCPCS).toUpperCase(Locale.ROOT);
            if (code.isEmpty() || !cell(cells, columns, MOD).isEmpty() || !codes.contains(code)) {
                continue;
            }
            Row row = row(cells, columns, line, code);
            if (rows.putIfAbsent(code, row) != null) {
                throw new Problem(line, HCPCS, code + " appears twice without a modifier");
            }
        }
        if (columns == null) {
            throw new Problem(line, HCPCS, "no column header row (a row beginning HCPCS,MOD) was found: not a CMS "
                                           + "relative value file");
        }
        return rows;
    }

    private static Map<String, Integer> columns(List<String> above, List<String> header, int line) {
        Map<String, Integer> columns = new HashMap<>();
        for (int i = 0; i < header.size(); i++) {
            String top = i < above.size() ? above.get(i).strip() : "";
            String name = (top + " " + header.get(i).strip()).strip().toUpperCase(Locale.ROOT)
                                                                      .replaceAll("\\s+", " ");
            columns.putIfAbsent(name, i);
            columns.putIfAbsent(header.get(i).strip().toUpperCase(Locale.ROOT), i);
        }
        for (String required : REQUIRED) {
            if (!columns.containsKey(required)) {
                throw new Problem(line, required, "the column header names no column " + required);
            }
        }
        // each PE column is followed by its own "NA INDICATOR": the two share a name, so they are told apart by place
        indicator(columns, above, header, NON_FACILITY_PE, NON_FACILITY_NA);
        indicator(columns, above, header, FACILITY_PE, FACILITY_NA);
        return columns;
    }

    private static void indicator(Map<String, Integer> columns, List<String> above, List<String> header, String pe,
                                  String name) {
        int at = columns.get(pe) + 1;
        String top = at < above.size() ? above.get(at).strip() : "";
        if (at < header.size() && (top + " " + header.get(at).strip()).strip().toUpperCase(Locale.ROOT)
                                                                       .equals("NA INDICATOR")) {
            columns.put(name, at);
        }
    }

    private static Row row(List<String> cells, Map<String, Integer> columns, int line, String code) {
        if (!CODE.matcher(code).matches()) {
            throw new Problem(line, HCPCS, "not a HCPCS code: " + code);
        }
        String status = cell(cells, columns, STATUS);
        if (!STATUS_CODE.matcher(status).matches()) {
            throw new Problem(line, STATUS, "a status code is one letter, was '" + status + "'");
        }
        String global = cell(cells, columns, GLOBAL);
        if (!GLOBAL_DAYS.matcher(global).matches()) {
            throw new Problem(line, GLOBAL, "global days are XXX, YYY, ZZZ, MMM or three digits, was '" + global + "'");
        }
        BigDecimal work = number(cells, columns, WORK, line);
        BigDecimal nonFacilityPe = number(cells, columns, NON_FACILITY_PE, line);
        BigDecimal facilityPe = number(cells, columns, FACILITY_PE, line);
        BigDecimal malpractice = number(cells, columns, MALPRACTICE, line);
        BigDecimal nonFacilityTotal = number(cells, columns, NON_FACILITY_TOTAL, line);
        BigDecimal facilityTotal = number(cells, columns, FACILITY_TOTAL, line);
        sum(line, NON_FACILITY_TOTAL, nonFacilityTotal, work, nonFacilityPe, malpractice);
        sum(line, FACILITY_TOTAL, facilityTotal, work, facilityPe, malpractice);
        BigDecimal factor = null;
        if (columns.containsKey(CONVERSION_FACTOR) && !cell(cells, columns, CONVERSION_FACTOR).isEmpty()) {
            factor = number(cells, columns, CONVERSION_FACTOR, line);
        }
        return new Row(line, code, status, global, work, nonFacilityPe,
                       "NA".equalsIgnoreCase(optional(cells, columns, NON_FACILITY_NA)), facilityPe,
                       "NA".equalsIgnoreCase(optional(cells, columns, FACILITY_NA)), malpractice, nonFacilityTotal,
                       facilityTotal, factor);
    }

    private static void sum(int line, String field, BigDecimal total, BigDecimal... parts) {
        BigDecimal sum = BigDecimal.ZERO;
        for (BigDecimal part : parts) {
            sum = sum.add(part);
        }
        if (sum.compareTo(total) != 0) {
            throw new Problem(line, field, field + " " + total.toPlainString() + " is not the sum of its parts, "
                                           + sum.toPlainString());
        }
    }

    private static BigDecimal number(List<String> cells, Map<String, Integer> columns, String name, int line) {
        String value = cell(cells, columns, name);
        try {
            BigDecimal number = new BigDecimal(value.isEmpty() ? "0" : value);
            if (number.signum() < 0 || number.scale() > 4) {
                throw new NumberFormatException();
            }
            return number;
        } catch (NumberFormatException e) {
            throw new Problem(line, name, "not a number of RVUs: '" + value + "'");
        }
    }

    private static String cell(List<String> cells, Map<String, Integer> columns, String name) {
        int at = columns.get(name);
        return at < cells.size() ? cells.get(at).strip() : "";
    }

    private static String optional(List<String> cells, Map<String, Integer> columns, String name) {
        return columns.containsKey(name) ? cell(cells, columns, name) : "";
    }

    /** The cells of one CSV line: commas separate, double quotes enclose, a doubled quote is a quote. */
    static List<String> cells(String text, int line) {
        List<String> cells = new ArrayList<>();
        StringBuilder cell = new StringBuilder();
        boolean quoted = false;
        for (int i = 0; i < text.length(); i++) {
            char c = text.charAt(i);
            if (quoted) {
                if (c == '"' && i + 1 < text.length() && text.charAt(i + 1) == '"') {
                    cell.append('"');
                    i++;
                } else if (c == '"') {
                    quoted = false;
                } else {
                    cell.append(c);
                }
            } else if (c == '"') {
                quoted = true;
            } else if (c == ',') {
                cells.add(cell.toString());
                cell.setLength(0);
            } else {
                cell.append(c);
            }
        }
        if (quoted) {
            throw new Problem(line, null, "a quoted cell is not closed");
        }
        cells.add(cell.toString());
        return cells;
    }
}
