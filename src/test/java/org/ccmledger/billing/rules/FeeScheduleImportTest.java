package org.ccmledger.billing.rules;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.math.BigDecimal;
import java.nio.charset.StandardCharsets;
import java.time.LocalDate;

import org.ccmledger.billing.api.Amount;
import org.ccmledger.billing.api.FeeSetting;
import org.ccmledger.platform.problem.Refusal;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * R15: next year's fee data is loaded from the CMS relative value file as CMS publishes it; here the 2026 rows of
 * ccm-rules.md section 4 written out in the CMS column layout ({@code src/test/resources/cms}), imported as 2027.
 */
class FeeScheduleImportTest {

    private static final RuleData BASE = new RuleDataRepository(null).forYear(2026);
    private static final BigDecimal CF = new BigDecimal("33.4009");
    private static final BigDecimal QP_CF = new BigDecimal("33.5675");

    private static String fixture() throws IOException {
        try (InputStream in = FeeScheduleImportTest.class.getResourceAsStream("/cms/PPRRVU2026_ccm-rules.csv")) {
            return new String(in.readAllBytes(), StandardCharsets.ISO_8859_1);
        }
    }

    private static FeeScheduleImport.Result importing(String file, BigDecimal cf) throws IOException {
        return FeeScheduleImport.of(new ByteArrayInputStream(file.getBytes(StandardCharsets.ISO_8859_1)), BASE,
                                    "pfs-2027.1", new FeeScheduleImport.Request(2027, cf, QP_CF, "PPRRVU test",
                                                                                "abc"));
    }

    private static Amount amount(RuleData data, String code, FeeSetting setting, boolean qp) {
        return data.feeSchedule(LocalDate.of(2027, 6, 30), qp, setting, "11").allowed(code);
    }

    @ParameterizedTest(name = "R15: {0} imported: {1} non-facility, {2} facility, {3} QP")
    @CsvSource({"99490,66.13,43.76,66.46", "99439,50.44,30.73,50.69", "99491,89.18,65.47,89.63",
                "99437,63.13,43.76,63.44", "99487,144.29,79.16,145.01", "99489,78.16,43.76,78.55",
                "G0506,66.47,38.41,66.80", "G0558,117.24,72.81,117.82", "G0570,57.78,38.75,58.07"})
    void theFileGivesTheAmountsOfSectionFour(String code, String nonFacility, String facility, String qp)
            throws IOException {
        RuleData data = importing(fixture(), CF).data();

        assertThat(data.version()).isEqualTo("pfs-2027.1");
        assertThat(data.year()).isEqualTo(2027);
        assertThat(amount(data, code, FeeSetting.NON_FACILITY, false)).isEqualTo(Amount.of(nonFacility));
        assertThat(amount(data, code, FeeSetting.FACILITY, false)).isEqualTo(Amount.of(facility));
        assertThat(amount(data, code, FeeSetting.NON_FACILITY, true)).isEqualTo(Amount.of(qp));
    }

    @Test
    @DisplayName("R15: status, global days and RVU parts are kept; families and caps carry over; visit codes kept")
    void whatTheFileSaysIsKept() throws IOException {
        FeeScheduleImport.Result result = importing(fixture(), CF);
        RuleData data = result.data();

        assertThat(data.fees().get("99439").status()).isEqualTo("A");
        assertThat(data.fees().get("99439").addOn()).isTrue();
        assertThat(data.fees().get("99490").nonFacility().parts().total()).isEqualByComparingTo("1.98");
        assertThat(data.fees().get("99490").nonFacility().label()).isEqualTo("[S]");
        assertThat(data.fees()).containsKey("99213").doesNotContainKey("99214");
        assertThat(amount(data, "99213", FeeSetting.NON_FACILITY, false)).isEqualTo(Amount.of("86.17"));
        assertThat(data.families()).isEqualTo(BASE.families());
        assertThat(data.exclusions()).isEqualTo(BASE.exclusions());
        assertThat(result.codes()).isEqualTo(27);
        assertThat(RuleDataRepository.fromJson(RuleDataRepository.toJson(data), "round trip")).isEqualTo(data);
    }

    @Test
    @DisplayName("R15: the file's own conversion factor is used when none is given, and must agree when one is")
    void conversionFactor() throws IOException {
        assertThat(importing(fixture(), null).conversionFactor()).isEqualByComparingTo("33.4009");
        assertThat(importing(fixture(), new BigDecimal("33.40090")).conversionFactor())
                .isEqualByComparingTo("33.4009");
        assertRefused(() -> importing(fixture(), new BigDecimal("33.5")), "CONV FACTOR", 7);
        assertRefused(() -> importing(fixture().replace(",33.4009,", ",,"), null), "CONV FACTOR", null);
    }

    @Test
    @DisplayName("R15: a total that is not the sum of its parts is refused, naming line and column")
    void totalsMustAddUp() throws IOException {
        String broken = fixture().replace("99491,,Care management service,A,,0.00,2.67,,1.96,,0.00,2.67,1.96",
                                          "99491,,Care management service,A,,0.00,2.67,,1.96,,0.00,2.76,1.96");
        assertThat(broken).isNotEqualTo(fixture());
        assertRefused(() -> importing(broken, CF), "NON-FACILITY TOTAL", 12);
    }

    @Test
    @DisplayName("R15: a code the rules use that the file lacks, or a missing column, is refused")
    void missingCodeOrColumn() throws IOException {
        String withoutG0506 = fixture().replaceAll("(?m)^G0506,,.*\\r\\n", "");
        assertRefused(() -> importing(withoutG0506, CF), "HCPCS", null);
        String withoutGlobal = fixture().replace("PCTC,GLOB,PRE", "PCTC,XXXX,PRE");
        assertRefused(() -> importing(withoutGlobal, CF), "GLOB DAYS", 6);
        assertRefused(() -> importing("HCPCS,MOD\r\n", CF), "STATUS CODE", 1);
        assertRefused(() -> importing("a file,that is,not CMS's\r\n", CF), "HCPCS", null);
    }

    private static void assertRefused(org.assertj.core.api.ThrowableAssert.ThrowingCallable call, String field,
                                      Integer line) {
        assertThatThrownBy(call).isInstanceOfSatisfying(Refusal.class, refusal -> {
            assertThat(refusal.code()).isEqualTo("FEE_FILE_INVALID");
            assertThat(refusal.rule()).isEqualTo("R15");
            assertThat(refusal.details()).containsEntry("field", field);
            if (line != null) {
                assertThat(refusal.details()).containsEntry("line", line);
            }
        });
    }
}
