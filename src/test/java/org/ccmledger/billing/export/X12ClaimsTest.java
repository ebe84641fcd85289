package org.ccmledger.billing.export;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.math.BigDecimal;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.LocalDate;
import java.time.LocalTime;
import java.time.YearMonth;
import java.util.List;
import java.util.Map;

import org.ccmledger.identity.api.PatientIdentity;
import org.ccmledger.patient.PostalAddress;
import org.ccmledger.practice.api.PracticeProfile;
import org.ccmledger.support.X12Reading;
import org.ccmledger.support.X12Reading.Read;
import org.ccmledger.support.X12Reading.Segment;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

/**
 * The 837P as a clearinghouse reads it: every interchange is read back by StAEDI against the schema of
 * {@code x12/837P-claims-feed.xml} and checked for the guide's cross-field rules ({@link X12Reading}).
 */
class X12ClaimsTest {

    private static final YearMonth APRIL = YearMonth.of(2026, 4);
    private static final X12Envelope ENVELOPE = new X12Envelope("SUBMIT1", "MACJ15", 42, LocalDate.of(2026, 5, 2),
                                                                LocalTime.of(7, 30), "T");
    private static final PracticeProfile.Party SUBMITTER = new PracticeProfile.Party("SUBMIT1", "Lakeside Billing");
    private static final PracticeProfile.Party RECEIVER = new PracticeProfile.Party("MACJ15", "NGS Medicare");
    private static final PracticeProfile.Party PAYER = new PracticeProfile.Party("06202", "NGS Medicare Part B");
    private static final PracticeProfile.Contact CONTACT = new PracticeProfile.Contact("Ann Lee", "5551234567",
                                                                                       "billing@lakeside.example");
    private static final X12Submission.BillingProvider PROVIDER = new X12Submission.BillingProvider(
            "Lakeside Primary Care", "1245319599", "EI", "123456789",
            new PostalAddress("12 Main St", "Suite 4", "Springfield", "IL", "627011234"), "207Q00000X");
    private static final PatientIdentity ANA = new PatientIdentity("1EG4-TE5-MK73", "Ana", "Rivera",
            LocalDate.of(1948, 3, 14), "F", new PostalAddress("5 Oak Ave", null, "Springfield", "IL", "62704"));
    private static final PatientIdentity BEN = new PatientIdentity("2AC3DE4FG55", "Ben", "Okafor",
            LocalDate.of(1951, 11, 2), "M", new PostalAddress("9 Elm Rd", null, "Chatham", "IL", "62629"));

    private final Claim original = new Claim("ccm-p1-pt7-2026-04", Claim.Frequency.ORIGINAL, null, "practice-1",
            "pt-7", "1234567893", APRIL, "11", List.of("E11.9", "I10", "N18.30"),
            List.of(new Claim.Item("L1", 1, "99490", 1, new BigDecimal("60.49"), APRIL.atEndOfMonth(), List.of(1, 2)),
                    new Claim.Item("L2", 2, "99439", 2, new BigDecimal("45.50"), APRIL.atEndOfMonth(),
                                   List.of(2, 3, 1))));
    private final Claim replacement = new Claim("ccm-p1-pt7-2026-04-a1", Claim.Frequency.REPLACEMENT,
            "ccm-p1-pt7-2026-04", "practice-1", "pt-7", "1234567893", APRIL, "11", List.of("E119", "I10"),
            List.of(new Claim.Item("L1", 1, "99491", 1, new BigDecimal("82.16"), APRIL.atEndOfMonth(), List.of(1))));
    private final Claim other = new Claim("ccm-p1-pt9-2026-04", Claim.Frequency.ORIGINAL, null, "practice-1", "pt-9",
            "1098765438", APRIL, "02", List.of("J44.9", "I10"),
            List.of(new Claim.Item("L1", 1, "99487", 1, new BigDecimal("131.65"), APRIL.atEndOfMonth(), List.of(1))));

    private static X12Submission.X12Claim sent(Claim claim, PatientIdentity who, String frequency, String icn) {
        PracticeProfile.PractitionerName name = claim.billingPractitioner().equals("1098765438")
                ? new PracticeProfile.PractitionerName("Grace", "Hopper")
                : new PracticeProfile.PractitionerName("Sam", "Cho");
        return new X12Submission.X12Claim(claim, frequency, ClaimNumbers.controlNumber(claim.claimId()), icn, who,
                                          name);
    }

    private static String write(X12Submission.X12Claim... claims) {
        return X12Claims.write837P(new X12Submission(ENVELOPE, SUBMITTER, CONTACT, RECEIVER, PROVIDER, PAYER,
                                                     List.of(claims)));
    }

    private String twoPatients() {
        return write(sent(original, ANA, "1", null), sent(other, BEN, "1", null));
    }

    @Test
    @DisplayName("StAEDI reads the interchange back against the 837P schema with no error, and no rule is broken")
    void readsBackWithoutProblems() {
        Read read = X12Reading.read(twoPatients());

        assertThat(read.problems()).isEmpty();
        assertThat(read.segment("ISA").elements()).containsExactly("00", "          ", "00", "          ", "ZZ",
                "SUBMIT1        ", "ZZ", "MACJ15         ", "260502", "0730", "^", "00501", "000000042", "0", "T",
                ":");
        assertThat(read.segment("GS").elements()).containsExactly("HC", "SUBMIT1", "MACJ15", "20260502", "0730",
                                                                  "42", "X", "005010X222A1");
        assertThat(read.loops()).containsSubsequence("1000", "1000", "2000", "2010", "2000", "2010", "2010", "2300",
                                                     "2400");
    }

    @Test
    @DisplayName("1000A/B: submitter and receiver with names, the submitter's contact in PER")
    void submitterAndReceiver() {
        Read read = X12Reading.read(twoPatients());

        assertThat(read.all("NM1").subList(0, 2)).extracting(s -> String.join("*", s.elements()))
                .containsExactly("41*2*Lakeside Billing*****46*SUBMIT1", "40*2*NGS Medicare*****46*MACJ15");
        assertThat(read.segment("PER").elements())
                .containsExactly("IC", "Ann Lee", "TE", "5551234567", "EM", "billing@lakeside.example");
    }

    @Test
    @DisplayName("2000A/2010AA: billing provider with taxonomy, name, NPI, address and EIN")
    void billingProvider() {
        Read read = X12Reading.read(twoPatients());

        assertThat(read.segment("PRV").elements()).containsExactly("BI", "PXC", "207Q00000X");
        assertThat(read.all("NM1")).anySatisfy(s -> assertThat(String.join("*", s.elements()))
                .isEqualTo("85*2*Lakeside Primary Care*****XX*1245319599"));
        assertThat(read.all("N3").get(0).elements()).containsExactly("12 Main St", "Suite 4");
        assertThat(read.all("N4").get(0).elements()).containsExactly("Springfield", "IL", "627011234");
        assertThat(read.all("REF")).anySatisfy(s -> assertThat(s.elements()).containsExactly("EI", "123456789"));
    }

    @Test
    @DisplayName("2000B/2010BA/2010BB: the patient as Medicare subscriber by MBI, address, DMG; the payer")
    void subscriberAndPayer() {
        Read read = X12Reading.read(twoPatients());

        assertThat(read.all("HL")).extracting(s -> String.join("*", s.elements()))
                .containsExactly("1**20*1", "2*1*22*0", "3*1*22*0");
        assertThat(read.all("SBR")).allSatisfy(s -> assertThat(String.join("*", s.elements()))
                .isEqualTo("P*18*******MB"));
        assertThat(read.all("NM1")).extracting(s -> String.join("*", s.elements()))
                .contains("IL*1*Rivera*Ana****MI*1EG4TE5MK73", "IL*1*Okafor*Ben****MI*2AC3DE4FG55",
                          "PR*2*NGS Medicare Part B*****PI*06202");
        assertThat(read.all("DMG")).extracting(s -> String.join("*", s.elements()))
                .containsExactly("D8*19480314*F", "D8*19511102*M");
    }

    @Test
    @DisplayName("2300/2400: CLM01 at most 20 characters, charges, POS and frequency; lines with pointers and dates")
    void claimsAndLines() {
        Read read = X12Reading.read(write(sent(original, ANA, "1", null)));

        Segment clm = read.segment("CLM");
        assertThat(clm.element(1)).hasSize(17).startsWith("C").isEqualTo(ClaimNumbers.controlNumber(
                "ccm-p1-pt7-2026-04"));
        assertThat(clm.elements().subList(1, 9)).containsExactly("151.49", "", "", "11:B:1", "Y", "A", "Y", "Y");
        assertThat(read.segment("HI").elements()).containsExactly("ABK:E119", "ABF:I10", "ABF:N1830");
        assertThat(read.all("SV1")).extracting(s -> String.join("*", s.elements()))
                .containsExactly("HC:99490*60.49*UN*1***1:2", "HC:99439*91*UN*2***2:3:1");
        assertThat(read.all("DTP")).extracting(s -> String.join("*", s.elements()))
                .containsExactly("472*D8*20260430", "472*D8*20260430");
        assertThat(read.all("REF")).noneMatch(s -> s.element(1).equals("F8"));
    }

    @Test
    @DisplayName("P4: a replacement (7) and a void (8) carry the payer's ICN in REF*F8, right after CLM")
    void replacementAndVoidNameThePayersClaimNumber() {
        Read read = X12Reading.read(write(sent(replacement, ANA, "7", "ICN22001234567"),
                                          sent(other, BEN, "8", "ICN22007654321")));

        assertThat(read.problems()).isEmpty();
        assertThat(read.all("CLM")).extracting(s -> s.element(5).split(":")[2]).containsExactly("7", "8");
        assertThat(read.all("REF")).filteredOn(s -> s.element(1).equals("F8")).extracting(s -> s.element(2))
                .containsExactly("ICN22001234567", "ICN22007654321");
        assertThat(read.all("CLM")).extracting(s -> s.element(1))
                .doesNotHaveDuplicates().allMatch(number -> number.length() <= 20);
    }

    @Test
    @DisplayName("R6: a claim of a practitioner other than the billing provider names them as rendering provider (2310B)")
    void renderingProvider() {
        Read read = X12Reading.read(twoPatients());

        assertThat(read.all("NM1")).extracting(s -> String.join("*", s.elements()))
                .contains("82*1*Cho*Sam****XX*1234567893", "82*1*Hopper*Grace****XX*1098765438");
        assertThat(read.loops()).contains("2310");
    }

    @Test
    @DisplayName("an unknown charge is refused, naming the claim and code, never written as 0")
    void unknownAmountIsRefused() {
        Claim unpriced = new Claim("ccm-p1-pt8-2026-04", Claim.Frequency.ORIGINAL, null, "practice-1",
                "patient-secret-8", "1234567893", APRIL, "11", List.of("I10"),
                List.of(new Claim.Item("L1", 1, "99439", 1, null, APRIL.atEndOfMonth(), List.of(1))));

        assertThatThrownBy(() -> write(sent(original, ANA, "1", null), sent(unpriced, BEN, "1", null)))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("X12 needs a charge amount; set it in the fee data")
                .hasMessageContaining("ccm-p1-pt8-2026-04").hasMessageContaining("99439")
                .hasMessageNotContaining("patient-secret-8");
    }

    @Test
    @DisplayName("a replacement without the payer's ICN, or an original with one, cannot be made")
    void frequencyAndPayerReferenceGoTogether() {
        assertThatThrownBy(() -> sent(replacement, ANA, "7", null)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> sent(original, ANA, "1", "ICN1")).isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    @DisplayName("the same submission gives the same interchange: no clock")
    void deterministic() {
        assertThat(twoPatients()).isEqualTo(twoPatients());
    }

    private Claim ofPatient(Claim claim, String patientId) {
        return new Claim(claim.claimId() + "-" + patientId, claim.frequency(), null, claim.practiceId(), patientId,
                         claim.billingPractitioner(), claim.month(), claim.placeOfService(), claim.diagnoses(),
                         claim.items());
    }

    @Test
    @DisplayName("more claims than a transaction set holds: several sets, each whole and numbered, a patient never split")
    void severalTransactionSets() {
        Claim second = new Claim("ccm-p1-pt7-2026-03", Claim.Frequency.ORIGINAL, null, "practice-1", "pt-7",
                                 "1234567893", APRIL.minusMonths(1), "11", original.diagnoses(), original.items());
        List<X12Submission.X12Claim> claims = List.of(sent(original, ANA, "1", null), sent(second, ANA, "1", null),
                                                      sent(other, BEN, "1", null),
                                                      sent(ofPatient(other, "pt-11"), BEN, "1", null));
        X12Submission submission = new X12Submission(ENVELOPE, SUBMITTER, CONTACT, RECEIVER, PROVIDER, PAYER, claims);

        Read pairs = X12Reading.read(X12Claims.write837P(submission, 2));
        assertThat(pairs.problems()).isEmpty();
        assertThat(pairs.all("ST")).extracting(st -> st.element(2)).containsExactly("0001", "0002");
        assertThat(pairs.all("BHT")).extracting(bht -> bht.element(3)).containsExactly("42", "42-2");
        assertThat(pairs.segment("GE").element(1)).isEqualTo("2");
        assertThat(pairs.all("CLM")).extracting(clm -> clm.element(1))
                .as("every claim once, in order").containsExactly(claims.stream()
                                                                        .map(X12Submission.X12Claim::controlNumber)
                                                                        .toArray(String[]::new));
        assertThat(pairs.all("PRV")).as("each set has its billing provider").hasSize(2);
        assertThat(pairs.all("PER")).as("and its submitter's contact").hasSize(2);

        Read ones = X12Reading.read(X12Claims.write837P(submission, 1));
        assertThat(ones.problems()).isEmpty();
        assertThat(ones.all("ST")).as("pt-7's two claims stay together").hasSize(3);
        assertThat(ones.all("HL").stream().filter(hl -> hl.element(3).equals("22"))).as("one subscriber loop each")
                .hasSize(3);

        assertThat(X12Reading.read(X12Claims.write837P(submission)).all("ST")).as("the default: 5,000").hasSize(1);
    }

    @Test
    @DisplayName("5,001 claims go out in two transaction sets; the reader refuses one set of 5,001")
    void fiveThousandClaimsToATransactionSet() {
        List<X12Submission.X12Claim> claims = java.util.stream.IntStream.range(0, 5001)
                .mapToObj(i -> sent(ofPatient(other, "pt-" + i), BEN, "1", null)).toList();
        X12Submission submission = new X12Submission(ENVELOPE, SUBMITTER, CONTACT, RECEIVER, PROVIDER, PAYER, claims);

        Read split = X12Reading.read(X12Claims.write837P(submission));
        assertThat(split.problems()).isEmpty();
        assertThat(split.all("CLM")).hasSize(5001);
        assertThat(split.all("ST")).hasSize(2);

        assertThat(X12Reading.read(X12Claims.write837P(submission, 6000)).problems())
                .singleElement().asString().contains("5001 claims");
    }

    @Test
    @DisplayName("the reader's checks are live: a wrong SE count, a segment out of order, a CLM02 off, a long CLM01")
    void theReaderCatchesMistakes() {
        String x12 = write(sent(replacement, ANA, "7", "ICN22001234567"));
        Map<String, String> broken = Map.of(
                "SE count", x12.replaceFirst("SE\\*\\d+\\*", "SE*99*"),
                "order", x12.replaceFirst("(REF\\*F8\\*[^~]*~)(HI\\*[^~]*~)", "$2$1"),
                "CLM02", x12.replaceFirst("(CLM\\*[A-Z0-9]+\\*)82\\.16", "$182.17"),
                "CLM01", x12.replaceFirst("CLM\\*([A-Z0-9]+)\\*", "CLM*$1ABCDEFGH*"),
                "no F8", x12.replaceFirst("REF\\*F8\\*[^~]*~", ""),
                "SE02", x12.replaceFirst("(SE\\*\\d+\\*)0001", "$10002"),
                "HL01", x12.replaceFirst("HL\\*2\\*1\\*", "HL*3*1*"),
                "HL02", x12.replaceFirst("HL\\*2\\*1\\*", "HL*2*5*"));

        broken.forEach((what, text) -> {
            assertThat(text).as(what).isNotEqualTo(x12);
            assertThat(X12Reading.read(text).problems()).as(what).isNotEmpty();
        });
        assertThat(X12Reading.read(x12).problems()).isEmpty();
    }

    @Test
    @DisplayName("docs/billing.md's worked 837P is what the writer writes for its claim, segment for segment")
    void theWorkedExampleIsTrue() throws IOException {
        String x12 = write(sent(original, ANA, "1", null));
        Files.writeString(Path.of("target", "worked-837P.x12"), x12);
        String doc = Files.readString(Path.of("docs", "billing.md"));
        int start = doc.indexOf("```x12\n");
        assertThat(start).as("docs/billing.md has a ```x12 block").isNotNegative();
        String block = doc.substring(start + 7, doc.indexOf("```", start + 7));

        assertThat(block.lines().toList()).isEqualTo(List.of(x12.strip().split("(?<=~)\\s*")));
        assertThat(X12Reading.read(x12).problems()).isEmpty();
    }
}
