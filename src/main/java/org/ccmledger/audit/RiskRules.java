package org.ccmledger.audit;

import java.time.Instant;
import java.time.OffsetDateTime;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Stream;

import org.ccmledger.audit.AuditPacket.ConsentEvidence;
import org.ccmledger.audit.AuditPacket.TimeEntry;
import org.ccmledger.billing.api.BillingStatementIssued;
import org.ccmledger.billing.api.BillingViews.LineView;
import org.ccmledger.billing.api.StatementLine;
import org.ccmledger.patient.ChronicCondition;

/**
 * The OIG risk checks, each computed from what one packet holds (the ledger as of an instant); the two that need more
 * than one patient (the same beneficiary billed elsewhere, one clinician's overlapping time) are
 * {@link CrossPatientRisks}'. Pure.
 */
final class RiskRules {

    /** What each risk is, the rule it touches and where Medicare's reviewers found it. */
    enum Risk {
        DUPLICATE_BENEFICIARY_MONTH("R6", "OIG A-07-17-05101 ($436,877 of $640,452) and A-07-19-05122 ($1.4M): "
                                          + "CCM billed twice for one beneficiary-month, often by another "
                                          + "practitioner or TIN"),
        OVERLAPPING_CARE_MANAGEMENT("R5", "OIG A-07-17-05101 ($203,575) and A-07-19-05122 ($438,262): the same "
                                          + "practitioner billing CCM with overlapping care management (TCM, PCM, "
                                          + "APCM, ESRD; RPM and BHI time counted twice)"),
        OVERLAPPING_CLINICIAN_TIME("P2", "ccm-rules.md P2: one person's time counts once; the same clinician "
                                         + "cannot care for two patients in the same minutes"),
        ADD_ON_WITHOUT_BASE("R2", "OIG A-07-19-05122: 99489 riding on overpaid 99487; engine check: no orphan "
                                  + "add-ons"),
        ADD_ON_OVER_CAP("R2", "CMS cap of 2 units of 99439 (ccm-rules.md section 2); third-party MUE of 2 for 99437"),
        FEWER_THAN_TWO_CONDITIONS("R7", "OIG work plan OAS-26-09-007: the multiple-chronic-conditions requirement"),
        MINUTES_BELOW_THRESHOLD("R2", "First Coast checklist: total monthly time; NGS CERT: no evidence CCM was done"),
        CONSENT_AFTER_FIRST_MINUTE("R8", "NGS CERT denial reason: no consent; First Coast: prior consent"),
        CARE_PLAN_NOT_SHARED("R10", "NGS CERT denial reason: no care plan or proof it was given to the patient"),
        SERVICE_AFTER_DEATH("R12", "ccm-rules.md edge case 7: services dated after death are overpayments"),
        BILLED_AFTER_REVOCATION("R8", "ccm-rules.md R8: a revocation ends the consent at the end of its month"),
        LATE_ENTRY("R3", "First Coast checklist: total monthly time, documented; reviewers read time recorded long "
                         + "after the care as not contemporaneous");

        final String rule;
        final String source;

        Risk(String rule, String source) {
            this.rule = rule;
            this.source = source;
        }
    }

    /** Add-on → its base code and its cap in units (0: none known). */
    private static final Map<String, String> BASE = Map.of("99439", "99490", "99489", "99487", "99437", "99491");
    private static final Map<String, Integer> CAP = Map.of("99439", 2, "99437", 2);
    private static final Set<String> OVERLAPPING_KINDS = Set.of("TCM", "PCM", "APCM", "ESRD",
                                                                "HOME_HEALTH_OR_HOSPICE_SUPERVISION", "RPM", "BHI");

    private RiskRules() {
    }

    static RiskFinding finding(AuditPacket p, Risk risk, String detail, List<String> evidence) {
        return new RiskFinding(p.patientId(), p.month(), risk.name(), risk.rule, risk.source, detail,
                               evidence.stream().filter(java.util.Objects::nonNull).distinct().toList());
    }

    /** What stands billed: the last adjustment's lines, else the statement's; empty before close. */
    static List<StatementLine> billed(AuditPacket p) {
        if (p.statement() == null) {
            return List.of();
        }
        return p.adjustments().isEmpty() ? p.statement().lines() : last(p).lines();
    }

    private static org.ccmledger.billing.api.BillingAdjustmentIssued last(AuditPacket p) {
        return p.adjustments().get(p.adjustments().size() - 1);
    }

    static String standingId(AuditPacket p) {
        return p.adjustments().isEmpty() ? p.statement().statementId() : last(p).adjustmentId();
    }

    /** The risks one packet shows on its own. */
    static List<RiskFinding> findings(AuditPacket p) {
        List<RiskFinding> found = new ArrayList<>();
        List<StatementLine> billed = billed(p);
        boolean bills = !billed.isEmpty();
        List<TimeEntry> standing = p.timeEntries().stream().filter(t -> !"VOIDED".equals(t.status())).toList();
        if (bills) {
            addOns(p, billed, found);
            conditions(p, found);
            minutes(p, billed, found);
            carePlan(p, found);
            overlappingCare(p, found);
            revocation(p, standing, found);
        }
        consent(p, found);
        death(p, standing, found);
        List<TimeEntry> late = standing.stream().filter(TimeEntry::late).toList();
        if (!late.isEmpty()) {
            found.add(finding(p, Risk.LATE_ENTRY, late.size() + " entr" + (late.size() == 1 ? "y" : "ies")
                    + " recorded more than " + p.lateEntryDays() + " days after the care: " + String.join(", ",
                    late.stream().map(t -> t.entryId() + " (" + t.recordedDaysAfter() + " days)").toList()),
                    late.stream().map(TimeEntry::eventId).toList()));
        }
        return found;
    }

    private static void addOns(AuditPacket p, List<StatementLine> billed, List<RiskFinding> found) {
        for (StatementLine line : billed) {
            String base = BASE.get(line.code());
            if (base == null) {
                continue;
            }
            if (billed.stream().noneMatch(l -> l.code().equals(base))) {
                found.add(finding(p, Risk.ADD_ON_WITHOUT_BASE, line.code() + " x" + line.units() + " billed without "
                                                               + base, List.of(standingId(p))));
            }
            Integer cap = CAP.get(line.code());
            if (cap != null && line.units() > cap) {
                found.add(finding(p, Risk.ADD_ON_OVER_CAP, line.code() + " x" + line.units() + " is over the cap of "
                                                           + cap, List.of(standingId(p))));
            }
        }
    }

    private static void conditions(AuditPacket p, List<RiskFinding> found) {
        BillingStatementIssued s = p.statement();
        long qualifying = p.enrollment().conditions().stream()
                           .filter(c -> c.expectedToLast12Months() && c.significantRisk()).count();
        if (s.diagnoses().size() < 2 || qualifying < 2) {
            found.add(finding(p, Risk.FEWER_THAN_TWO_CONDITIONS, "the claim carries " + s.diagnoses().size()
                    + " diagnoses; the enrollment lists " + qualifying + " qualifying chronic conditions ("
                    + String.join(", ", p.enrollment().conditions().stream().map(ChronicCondition::code).toList())
                    + ")", List.of(standingId(p))));
        }
    }

    /** A billed code whose units the minutes, as counted now after corrections and voids, no longer support. */
    private static void minutes(AuditPacket p, List<StatementLine> billed, List<RiskFinding> found) {
        Map<String, Integer> now = new LinkedHashMap<>();
        for (LineView line : p.billingNow().lines()) {
            now.merge(line.code(), line.units(), Integer::sum);
        }
        List<String> short_ = new ArrayList<>();
        for (StatementLine line : billed) {
            int supported = now.getOrDefault(line.code(), 0);
            if (supported < line.units()) {
                short_.add(line.code() + " x" + line.units() + " billed, x" + supported + " supported");
            }
        }
        if (!short_.isEmpty()) {
            int counted = p.billingNow().minutes() == null ? 0 : p.billingNow().minutes().counted();
            List<String> evidence = new ArrayList<>(List.of(standingId(p)));
            p.timeEntries().forEach(t -> t.changes().forEach(c -> evidence.add(c.eventId())));
            found.add(finding(p, Risk.MINUTES_BELOW_THRESHOLD, String.join("; ", short_) + " by the "
                    + counted + " minutes counted now, after corrections and voids", evidence));
        }
    }

    /** The month's first counted minute, and no accepted consent obtained before it. */
    private static void consent(AuditPacket p, List<RiskFinding> found) {
        List<ConsentEvidence> accepted = p.consents().stream().filter(c -> "ACCEPTED".equals(c.decision())).toList();
        if (accepted.isEmpty() || accepted.get(0).firstCountedMinuteAt() == null) {
            return;
        }
        if (accepted.stream().noneMatch(c -> Boolean.TRUE.equals(c.obtainedBeforeFirstCountedMinute()))) {
            ConsentEvidence first = accepted.get(0);
            String entry = p.timeEntries().stream().filter(t -> !"VOIDED".equals(t.status()))
                            .min(Comparator.comparing(t -> t.performedAt().toInstant()))
                            .map(TimeEntry::eventId).orElse(null);
            found.add(finding(p, Risk.CONSENT_AFTER_FIRST_MINUTE, "consent obtained "
                    + first.relativeToFirstCountedMinute() + " the month's first counted minute",
                    Stream.of(first.eventId(), entry).toList()));
        }
    }

    private static void carePlan(AuditPacket p, List<RiskFinding> found) {
        var plan = p.carePlanInForce();
        if (plan == null) {
            found.add(finding(p, Risk.CARE_PLAN_NOT_SHARED, "no care plan in force on the date of service",
                              List.of(standingId(p))));
        } else if (plan.sharedWithPatientAt() == null) {
            found.add(finding(p, Risk.CARE_PLAN_NOT_SHARED, "care plan version " + plan.version()
                    + " in force was never recorded as shared with the patient", List.of(plan.eventId())));
        }
    }

    private static void overlappingCare(AuditPacket p, List<RiskFinding> found) {
        String practitioner = p.statement().billingPractitioner();
        for (AuditPacket.ClinicalFact fact : p.clinicalFacts()) {
            if ("CONCURRENT_SERVICE".equals(fact.kind()) && OVERLAPPING_KINDS.contains(fact.serviceKind())
                    && practitioner.equals(fact.practitioner())) {
                boolean timed = "RPM".equals(fact.serviceKind()) || "BHI".equals(fact.serviceKind());
                found.add(finding(p, Risk.OVERLAPPING_CARE_MANAGEMENT, fact.code() + " (" + fact.serviceKind()
                        + ") billed by the same practitioner in the month"
                        + (timed ? ": its time must not also count towards CCM" : ""),
                        List.of(fact.eventId(), standingId(p))));
            }
        }
    }

    /** Time after a revocation took effect, with no later consent before it. */
    private static void revocation(AuditPacket p, List<TimeEntry> standing, List<RiskFinding> found) {
        for (ConsentEvidence revoked : p.consents()) {
            if (revoked.endedBy() == null || !revoked.endedBy().startsWith("REVOKED")
                    || revoked.effectiveUntil() == null) {
                continue;
            }
            Instant end = revoked.effectiveUntil().toInstant();
            List<TimeEntry> after = standing.stream().filter(t -> !start(t).isBefore(end))
                                            .filter(t -> p.consents().stream().noneMatch(
                                                    c -> "ACCEPTED".equals(c.decision())
                                                         && c.obtainedAt().toInstant().isAfter(end)
                                                         && !c.obtainedAt().toInstant().isAfter(start(t))))
                                            .toList();
            if (!after.isEmpty()) {
                List<String> evidence = new ArrayList<>(List.of(revoked.eventId()));
                after.forEach(t -> evidence.add(t.eventId()));
                found.add(finding(p, Risk.BILLED_AFTER_REVOCATION, after.size() + " entr"
                        + (after.size() == 1 ? "y" : "ies") + " after the revocation took effect on "
                        + revoked.effectiveUntil(), evidence));
            }
        }
    }

    private static void death(AuditPacket p, List<TimeEntry> standing, List<RiskFinding> found) {
        var death = p.enrollment().dateOfDeath();
        if (death == null) {
            return;
        }
        List<String> evidence = new ArrayList<>();
        List<String> what = new ArrayList<>();
        if (p.statement() != null && !billed(p).isEmpty()) {
            var dateOfService = p.adjustments().isEmpty() ? p.statement().dateOfService()
                    : last(p).lines().stream().map(StatementLine::servicedDate)
                       .max(Comparator.naturalOrder()).orElse(p.statement().dateOfService());
            if (dateOfService.isAfter(death)) {
                what.add("date of service " + dateOfService + " after the date of death " + death);
                evidence.add(standingId(p));
            }
        }
        java.time.ZoneId zone = java.time.ZoneId.of(p.timeZone());
        List<TimeEntry> after = standing.stream().filter(t -> start(t).atZone(zone).toLocalDate().isAfter(death))
                                        .toList();
        if (!after.isEmpty()) {
            what.add(after.size() + " entr" + (after.size() == 1 ? "y" : "ies") + " performed after " + death);
            after.forEach(t -> evidence.add(t.eventId()));
        }
        if (!what.isEmpty()) {
            found.add(finding(p, Risk.SERVICE_AFTER_DEATH, String.join("; ", what), evidence));
        }
    }

    /** The current interval of an entry: its last correction's start and minutes, else as logged. */
    static Instant start(TimeEntry t) {
        OffsetDateTime start = t.performedAt();
        for (var c : t.changes()) {
            if (c.startedAt() != null) {
                start = c.startedAt();
            }
        }
        return start.toInstant();
    }
}
