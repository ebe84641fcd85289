package org.ccmledger.audit;

import static org.assertj.core.api.Assertions.assertThat;

import java.math.BigDecimal;
import java.time.LocalDate;
import java.time.OffsetDateTime;
import java.time.YearMonth;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import org.ccmledger.audit.AuditPacket.CarePlanVersion;
import org.ccmledger.audit.AuditPacket.Change;
import org.ccmledger.audit.AuditPacket.ClinicalFact;
import org.ccmledger.audit.AuditPacket.ConsentEvidence;
import org.ccmledger.audit.AuditPacket.TimeEntry;
import org.ccmledger.billing.api.BillingMinutes;
import org.ccmledger.billing.api.BillingMonthId;
import org.ccmledger.billing.api.BillingStatementIssued;
import org.ccmledger.billing.api.BillingViews.LineView;
import org.ccmledger.billing.api.BillingViews.PatientMonthView;
import org.ccmledger.billing.api.BillingViews.Status;
import org.ccmledger.billing.api.CcmFamily;
import org.ccmledger.billing.api.FeeBasis;
import org.ccmledger.billing.api.FeeSetting;
import org.ccmledger.billing.api.StatementLine;
import org.ccmledger.patient.ChronicCondition;
import org.ccmledger.patient.EnrollmentId;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

/**
 * Each OIG risk from a packet that shows it, and not from the clean packet it was made from. The packets are built
 * here, as a ledger imported from another product or written before a rule existed could hold them: several of these
 * cannot arise through this service's own commands, which is why a scan looks for them.
 */
class RiskRulesTest {

    private static final String NPI = "1234567893";
    private static final OffsetDateTime SEPT_10 = OffsetDateTime.parse("2026-09-10T10:00:00-04:00");

    /** A mutable description of a patient-month from which a packet is built. */
    private static final class Month {
        String patient = "pt-1";
        List<StatementLine> billed = new ArrayList<>(List.of(line("99490", 1)));
        List<LineView> now = new ArrayList<>(List.of(view("99490", 1)));
        List<String> diagnoses = new ArrayList<>(List.of("E11.9", "I10"));
        List<ChronicCondition> conditions = new ArrayList<>(List.of(
                new ChronicCondition("E11.9", "Type 2 diabetes", true, true),
                new ChronicCondition("I10", "Hypertension", true, true)));
        List<ConsentEvidence> consents = new ArrayList<>(List.of(consent("2026-01-01T10:00:00-05:00", true, null)));
        OffsetDateTime planShared = OffsetDateTime.parse("2026-01-02T11:00:00-05:00");
        boolean plan = true;
        List<TimeEntry> entries = new ArrayList<>(List.of(entry("e1", "nurse-1", SEPT_10, 25, false)));
        List<ClinicalFact> facts = new ArrayList<>();
        LocalDate death;
        LocalDate dateOfService = LocalDate.parse("2026-09-30");
        int counted = 25;

        AuditPacket packet() {
            BillingStatementIssued statement = billed == null ? null : new BillingStatementIssued(
                    new BillingMonthId(EnrollmentId.of("pr-1", patient), YearMonth.of(2026, 9)), "st-" + patient,
                    YearMonth.of(2026, 9), NPI, CcmFamily.NON_COMPLEX, billed, new BigDecimal("60.49"), true,
                    new BigDecimal("12.10"), dateOfService,
                    new FeeBasis("ccm-rules-2026.2", dateOfService, false, new BigDecimal("33.4009"), "CY2026",
                                 new BigDecimal("0.20"), FeeSetting.NON_FACILITY, "11"),
                    3, 1, diagnoses, List.of(), new BillingMinutes(counted, 0, counted), List.of(), List.of(),
                    List.of());
            PatientMonthView view = new PatientMonthView(
                    "2026-09", patient, NPI, "NON_COMPLEX", now, "60.49", "60.49", List.of(), "12.10",
                    new BillingMinutes(counted, 0, counted), List.of(), List.of(), List.of(), List.of(),
                    dateOfService, "ccm-rules-2026.2", "33.4009", false, Status.CLOSED, "st-" + patient, List.of(),
                    now, "11", "NON_FACILITY", List.of(), null);
            CarePlanVersion version = new CarePlanVersion(
                    1, OffsetDateTime.parse("2026-01-02T10:00:00-05:00"), "dr-cho", false, planShared,
                    List.of("Type 2 diabetes"), "stable", List.of("HbA1c below 8%"), "diet", List.of("calls"),
                    "metformin", List.of(), List.of(), "monthly", "plan-event");
            AuditPacket.Enrollment enrollment = new AuditPacket.Enrollment(
                    OffsetDateTime.parse("2026-01-01T09:00:00-05:00"), NPI, "America/New_York", false, false,
                    conditions, List.of(), death, null);
            AuditPacket.Summary summary = new AuditPacket.Summary("CLOSED", "NON_COMPLEX", List.of(), "60.49",
                                                                  counted, List.of(), List.of(), List.of());
            return new AuditPacket("pr-1", patient, "2026-09", OffsetDateTime.parse("2026-12-02T06:00:00-05:00"),
                                   "America/New_York", summary, null, Map.of(), enrollment, consents,
                                   plan ? version : null, plan ? List.of(version) : List.of(), List.of(), facts, 7,
                                   entries, statement, List.of(), view, List.of(), List.of(), null);
        }

        List<String> risks() {
            return RiskRules.findings(packet()).stream().map(RiskFinding::risk).toList();
        }
    }

    private static StatementLine line(String code, int units) {
        return new StatementLine(code, units, new BigDecimal("30.00"), LocalDate.parse("2026-09-30"));
    }

    private static LineView view(String code, int units) {
        return new LineView(code, units, "30.00", "30.00", LocalDate.parse("2026-09-30"), null);
    }

    private static ConsentEvidence consent(String obtainedAt, Boolean before, OffsetDateTime revokedEffective) {
        OffsetDateTime obtained = OffsetDateTime.parse(obtainedAt);
        return new ConsentEvidence("ACCEPTED", "VERBAL", obtained, "rn-7", NPI, "note-1", true, true, true, true,
                                   revokedEffective, revokedEffective,
                                   revokedEffective == null ? null : "REVOKED: patient asked", SEPT_10, before,
                                   before ? "251 days before" : "2 days after", "consent-event-" + obtainedAt);
    }

    private static TimeEntry entry(String id, String performer, OffsetDateTime at, int minutes, boolean late) {
        return new TimeEntry(id, performer, "CLINICAL_STAFF", "CARE_COORDINATION", "called", at, minutes, "LIVE",
                             at.plusDays(late ? 30 : 1), performer, late ? 30 : 1, late, List.of(), "event-" + id, null);
    }

    @Test
    @DisplayName("A clean, billed month shows no risk")
    void aCleanMonthShowsNone() {
        assertThat(new Month().risks()).isEmpty();
    }

    @Test
    @DisplayName("R2: an add-on without its base code, and over its cap; not with its base within the cap")
    void addOns() {
        Month orphan = new Month();
        orphan.billed = List.of(line("99439", 1));
        orphan.now = List.of(view("99439", 1));
        assertThat(orphan.risks()).containsExactly("ADD_ON_WITHOUT_BASE");

        Month over = new Month();
        over.billed = List.of(line("99490", 1), line("99439", 3));
        over.now = List.of(view("99490", 1), view("99439", 3));
        assertThat(over.risks()).containsExactly("ADD_ON_OVER_CAP");

        Month within = new Month();
        within.billed = List.of(line("99490", 1), line("99439", 2));
        within.now = List.of(view("99490", 1), view("99439", 2));
        assertThat(within.risks()).isEmpty();
    }

    @Test
    @DisplayName("R7: fewer than two chronic conditions on the claim or the enrollment")
    void fewerThanTwoConditions() {
        Month one = new Month();
        one.diagnoses = List.of("E11.9");
        assertThat(one.risks()).containsExactly("FEWER_THAN_TWO_CONDITIONS");
        Month notQualifying = new Month();
        notQualifying.conditions.set(1, new ChronicCondition("I10", "Hypertension", true, false));
        assertThat(notQualifying.risks()).containsExactly("FEWER_THAN_TWO_CONDITIONS");
    }

    @Test
    @DisplayName("R2, P4: minutes counted now no longer support what was billed")
    void minutesBelowThreshold() {
        Month corrected = new Month();
        corrected.billed = List.of(line("99490", 1), line("99439", 1));
        corrected.now = List.of(view("99490", 1));
        corrected.entries = List.of(new TimeEntry("e1", "nurse-1", "CLINICAL_STAFF", "CARE_COORDINATION", "called",
                                                  SEPT_10, 45, "CORRECTED", SEPT_10.plusDays(1), "nurse-1", 1, false,
                                                  List.of(new Change("CORRECTED", SEPT_10.plusDays(2), "nurse-1",
                                                                     "was 25", SEPT_10, 45, SEPT_10, 25,
                                                                     "correction-event")), "event-e1", null));
        List<RiskFinding> found = RiskRules.findings(corrected.packet());
        assertThat(found).extracting(RiskFinding::risk).containsExactly("MINUTES_BELOW_THRESHOLD");
        assertThat(found.get(0).evidence()).contains("correction-event");
        assertThat(found.get(0).detail()).contains("99439 x1 billed, x0 supported");
    }

    @Test
    @DisplayName("R8: consent after the month's first counted minute; and time after a revocation took effect")
    void consent() {
        Month late = new Month();
        late.consents = List.of(consent("2026-09-12T10:00:00-04:00", false, null));
        assertThat(late.risks()).containsExactly("CONSENT_AFTER_FIRST_MINUTE");

        Month revoked = new Month();
        revoked.consents = List.of(consent("2026-01-01T10:00:00-05:00", true,
                                           OffsetDateTime.parse("2026-09-01T00:00:00-04:00")));
        assertThat(revoked.risks()).containsExactly("BILLED_AFTER_REVOCATION");

        Month renewed = new Month();
        renewed.consents = List.of(consent("2026-01-01T10:00:00-05:00", true,
                                           OffsetDateTime.parse("2026-09-01T00:00:00-04:00")),
                                   consent("2026-09-05T10:00:00-04:00", true, null));
        assertThat(renewed.risks()).isEmpty();
    }

    @Test
    @DisplayName("R10: no care plan in force, or one never shared with the patient")
    void carePlan() {
        Month unshared = new Month();
        unshared.planShared = null;
        assertThat(unshared.risks()).containsExactly("CARE_PLAN_NOT_SHARED");
        Month none = new Month();
        none.plan = false;
        assertThat(none.risks()).containsExactly("CARE_PLAN_NOT_SHARED");
    }

    @Test
    @DisplayName("R12, edge case 7: a date of service or time after death; not when both are before it")
    void afterDeath() {
        Month died = new Month();
        died.death = LocalDate.parse("2026-09-09");
        assertThat(died.risks()).containsExactly("SERVICE_AFTER_DEATH");
        Month diedLater = new Month();
        diedLater.death = LocalDate.parse("2026-09-20");
        diedLater.dateOfService = LocalDate.parse("2026-09-20");
        assertThat(diedLater.risks()).isEmpty();
    }

    @Test
    @DisplayName("R5: overlapping care management by the same practitioner; not by another practitioner")
    void overlappingCareManagement() {
        Month pcm = new Month();
        pcm.facts.add(new ClinicalFact("CONCURRENT_SERVICE", "99426 (PCM)", "99426", "PCM", NPI, "pcm-event"));
        assertThat(pcm.risks()).containsExactly("OVERLAPPING_CARE_MANAGEMENT");
        Month rpm = new Month();
        rpm.facts.add(new ClinicalFact("CONCURRENT_SERVICE", "99457 (RPM)", "99457", "RPM", NPI, "rpm-event"));
        assertThat(RiskRules.findings(rpm.packet())).singleElement()
                .satisfies(f -> assertThat(f.detail()).contains("must not also count towards CCM"));
        Month other = new Month();
        other.facts.add(new ClinicalFact("CONCURRENT_SERVICE", "99426 (PCM)", "99426", "PCM", "1245319599", "x"));
        assertThat(other.risks()).isEmpty();
    }

    @Test
    @DisplayName("R3: entries recorded after the practice's threshold")
    void lateEntries() {
        Month late = new Month();
        late.entries = List.of(entry("e1", "nurse-1", SEPT_10, 25, true));
        assertThat(late.risks()).containsExactly("LATE_ENTRY");
    }

    @Test
    @DisplayName("R6: the same beneficiary billed under another enrollment; another practice is never named")
    void duplicates() {
        AuditPacket packet = new Month().packet();
        List<RiskFinding> found = CrossPatientRisks.duplicates(packet, List.of(
                new CrossPatientRisks.OtherClaim(EnrollmentId.of("pr-1", "pt-9"), "1245319599"),
                new CrossPatientRisks.OtherClaim(EnrollmentId.of("pr-secret", "pt-x"), NPI)));
        assertThat(found).singleElement().satisfies(f -> assertThat(f.detail())
                .contains("patient pt-9 of this practice, by NPI 1245319599", "another practice in this ledger")
                .doesNotContain("pr-secret", "pt-x"));
        assertThat(CrossPatientRisks.duplicates(packet, List.of())).isEmpty();
        Month unbilled = new Month();
        unbilled.billed = List.of();
        assertThat(CrossPatientRisks.duplicates(unbilled.packet(), List.of(
                new CrossPatientRisks.OtherClaim(EnrollmentId.of("pr-1", "pt-9"), NPI)))).isEmpty();
    }

    @Test
    @DisplayName("P2: one clinician's overlapping minutes for two patients, on both; not back to back, not one patient")
    void overlappingClinicianTime() {
        Month a = new Month();
        Month b = new Month();
        b.patient = "pt-2";
        b.entries = List.of(entry("f1", "nurse-1", SEPT_10.plusMinutes(20), 20, false));
        List<RiskFinding> found = CrossPatientRisks.overlaps(List.of(a.packet(), b.packet()));
        assertThat(found).extracting(RiskFinding::patientId, RiskFinding::risk)
                .containsExactlyInAnyOrder(org.assertj.core.groups.Tuple.tuple("pt-1", "OVERLAPPING_CLINICIAN_TIME"),
                                           org.assertj.core.groups.Tuple.tuple("pt-2", "OVERLAPPING_CLINICIAN_TIME"));
        assertThat(found.get(0).evidence()).containsExactlyInAnyOrder("event-e1", "event-f1");

        Month backToBack = new Month();
        backToBack.patient = "pt-3";
        backToBack.entries = List.of(entry("g1", "nurse-1", SEPT_10.plusMinutes(25), 20, false));
        Month otherNurse = new Month();
        otherNurse.patient = "pt-4";
        otherNurse.entries = List.of(entry("h1", "nurse-2", SEPT_10, 20, false));
        Month samePatient = new Month();
        samePatient.entries = List.of(entry("e1", "nurse-1", SEPT_10, 25, false),
                                      entry("e2", "nurse-1", SEPT_10.plusMinutes(5), 10, false));
        assertThat(CrossPatientRisks.overlaps(List.of(a.packet(), backToBack.packet(), otherNurse.packet()))).isEmpty();
        assertThat(CrossPatientRisks.overlaps(List.of(samePatient.packet()))).isEmpty();
    }

    @Test
    @DisplayName("P2: one clinician's minutes logged for many patients at once make one finding per entry, naming three others and counting the rest")
    void overlappingClinicianTimeAcrossManyPatients() {
        List<AuditPacket> packets = new ArrayList<>();
        for (int i = 0; i < 40; i++) {
            Month m = new Month();
            m.patient = "pt-" + (100 + i);
            m.entries = List.of(entry("x" + i, "nurse-1", SEPT_10.plusMinutes(i % 2), 20, false));
            packets.add(m.packet());
        }
        List<RiskFinding> found = CrossPatientRisks.overlaps(packets);
        assertThat(found).hasSize(40).allSatisfy(f -> {
            assertThat(f.risk()).isEqualTo("OVERLAPPING_CLINICIAN_TIME");
            assertThat(f.detail()).contains("and 36 more entries for other patients over the same minutes");
            assertThat(f.evidence()).hasSize(4).contains("event-x" + (Integer.parseInt(f.patientId().substring(3)) - 100));
        });
        assertThat(found).extracting(RiskFinding::patientId).doesNotHaveDuplicates();
        // forty thousand entries over the same minutes: one finding each, without walking 800 million pairs
        List<AuditPacket> crowd = new ArrayList<>();
        for (int i = 0; i < 20_000; i++) {
            Month m = new Month();
            m.patient = "pt-" + i;
            m.entries = List.of(entry("y" + i, "nurse-1", SEPT_10, 20, false),
                                entry("z" + i, "nurse-1", SEPT_10.plusMinutes(5), 20, false));
            crowd.add(m.packet());
        }
        List<RiskFinding> crowded = CrossPatientRisks.overlaps(crowd);
        assertThat(crowded).hasSize(40_000);
        // each entry overlaps both entries of every other patient, and not its own patient's other entry
        assertThat(crowded.get(0).detail()).endsWith(" and " + (2 * 19_999 - 3)
                                                     + " more entries for other patients over the same minutes");
        // the one whose entry starts first names the three starting next
        assertThat(found).filteredOn(f -> f.patientId().equals("pt-100")).singleElement()
                .satisfies(f -> assertThat(f.detail()).startsWith("nurse-1 logged entry x0 for this patient and entry "));
    }
}
