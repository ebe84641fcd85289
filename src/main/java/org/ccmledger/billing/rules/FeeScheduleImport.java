package org.ccmledger.billing.rules;

import java.io.IOException;
import java.io.InputStream;
import java.math.BigDecimal;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;

import org.ccmledger.platform.problem.Refusal;

/**
 * Makes a year's rule data from a CMS relative value file (R15): the codes the rules use, as the file gives them
 * (status, global days, work/PE/MP and total RVUs, non-facility and facility), the conversion factors as given by
 * the operator (non-QP, and QP where the year has one) for the whole year, and everything else — families, caps,
 * exclusions, coinsurance — carried over from the rule data it replaces. Refused, naming line and column, when the
 * file is not what CMS publishes: a column missing, a total that is not the sum of its parts, a code the rules use
 * not found, a conversion factor missing or different from the file's own.
 */
public final class FeeScheduleImport {

    /** Base codes of the visits G0506 rides on (R9): kept when the file has them, so a visit claim can be priced. */
    static final Set<String> VISIT_BASE_CODES = Set.of("99202", "99203", "99204", "99205", "99211", "99212", "99213",
                                                       "99214", "99215", "G0402", "G0438", "G0439");

    private FeeScheduleImport() {
    }

    /** What was asked for. */
    public record Request(int year, BigDecimal conversionFactor, BigDecimal qpConversionFactor, String source,
                          String fileSha256) {
    }

    /** The new rule data and what the file said. */
    public record Result(RuleData data, int codes, BigDecimal conversionFactor, List<String> notes) {
    }

    /**
     * Reads {@code file} against {@code base} (the year's rule data so far, or the latest earlier year's) and makes
     * rule data version {@code version} for {@code request.year()}.
     */
    public static Result of(InputStream file, RuleData base, String version, Request request) throws IOException {
        Set<String> required = new TreeSet<>(base.fees().keySet());
        Set<String> wanted = new TreeSet<>(required);
        wanted.addAll(VISIT_BASE_CODES);
        Map<String, RelativeValueFile.Row> rows;
        try {
            rows = RelativeValueFile.read(file, wanted);
        } catch (RelativeValueFile.Problem p) {
            throw refused(p.getMessage(), p.line, p.field);
        }
        for (String code : required) {
            if (!rows.containsKey(code)) {
                throw refused("code " + code + ", which the rules use, is not in the file (without a modifier)", null,
                              RelativeValueFile.HCPCS);
            }
        }
        BigDecimal factor = request.conversionFactor();
        for (RelativeValueFile.Row row : rows.values()) {
            if (row.conversionFactor() == null || row.conversionFactor().signum() == 0) {
                continue;
            }
            if (factor == null) {
                factor = row.conversionFactor();
            } else if (factor.compareTo(row.conversionFactor()) != 0) {
                throw refused("the file's conversion factor " + row.conversionFactor().toPlainString() + " is not "
                              + factor.toPlainString() + (request.conversionFactor() == null ? " (of an earlier row)"
                                      : " (--cf)"), row.line(), RelativeValueFile.CONVERSION_FACTOR);
            }
        }
        if (factor == null || factor.signum() <= 0) {
            throw refused("no conversion factor: give --cf (cf=) or a file with a CONV FACTOR column", null,
                          RelativeValueFile.CONVERSION_FACTOR);
        }
        if (request.qpConversionFactor() != null && request.qpConversionFactor().signum() <= 0) {
            throw refused("the QP conversion factor must be positive", null, "qpCf");
        }
        String label = "[S]";
        Map<String, FeeEntry> fees = new LinkedHashMap<>();
        for (RelativeValueFile.Row row : rows.values()) {
            fees.put(row.code(), new FeeEntry(row.status(), row.global(),
                                              rate(row.nonFacilityNotApplicable(), row.nonFacilityTotal(),
                                                   new Rate.Parts(row.work(), row.nonFacilityPe(), row.malpractice()),
                                                   label, request.source()),
                                              rate(row.facilityNotApplicable(), row.facilityTotal(),
                                                   new Rate.Parts(row.work(), row.facilityPe(), row.malpractice()),
                                                   label, request.source()),
                                              "line " + row.line()));
        }
        int year = request.year();
        List<ConversionFactorPeriod> factors = List.of(new ConversionFactorPeriod(
                LocalDate.of(year, 1, 1), LocalDate.of(year, 12, 31), factor, request.qpConversionFactor(), label,
                request.source() + (request.conversionFactor() == null ? " (the file's CONV FACTOR)" : " (as given)"),
                null));
        List<String> notes = new ArrayList<>();
        notes.add("imported from " + request.source() + ", SHA-256 " + request.fileSha256());
        notes.add("families, caps, exclusions and coinsurance carried over from " + base.version());
        RuleData data = base.withFees(version, year, String.join("; ", notes) + ". Amounts are RVU x conversion "
                                                     + "factor, half-up to cents; national, no GPCI.", factors, fees);
        return new Result(data, fees.size(), factor, notes);
    }

    private static Rate rate(boolean notApplicable, BigDecimal total, Rate.Parts parts, String label, String source) {
        if (notApplicable) {
            return new Rate(null, null, List.of(), Provenance.NOT_APPLICABLE, source, "NA in the file");
        }
        return new Rate(total, parts, List.of(), label, source, null);
    }

    private static Refusal refused(String message, Integer line, String field) {
        Refusal refusal = Refusal.rule("FEE_FILE_INVALID", "R15", message);
        if (line != null) {
            refusal = refusal.with("line", line);
        }
        return field == null ? refusal : refusal.with("field", field);
    }
}
