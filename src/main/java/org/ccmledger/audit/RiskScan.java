package org.ccmledger.audit;

import java.time.Instant;
import java.time.YearMonth;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;

import org.axonframework.messaging.responsetypes.ResponseTypes;
import org.axonframework.queryhandling.QueryGateway;
import org.axonframework.queryhandling.QueryHandler;
import org.ccmledger.billing.api.FindMonthRisks;
import org.ccmledger.billing.api.FindPatientMonthRisks;
import org.ccmledger.billing.api.FindPracticeMonthPatients;
import org.ccmledger.patient.EnrollmentId;
import org.ccmledger.patient.PracticeId;
import org.ccmledger.platform.problem.Refusal;
import org.ccmledger.platform.threads.DaemonThreads;
import org.ccmledger.platform.web.Csv;
import org.springframework.stereotype.Component;

/**
 * The OIG risk scan of a practice's month: every patient-month of the practice as the ledger knew it at an instant
 * (or now), each one's own risks ({@link RiskRules#findings}), the same beneficiary billed under another enrollment,
 * and one clinician's overlapping time across patients. Blocking.
 */
@Component
class RiskScan {

    /** What a scan found, and as of when. */
    // one name per schema in the OpenAPI document: another class is called Report too
    @io.swagger.v3.oas.annotations.media.Schema(name = "RiskScanReport")
    record Report(String practiceId, String month, Instant asKnownAt, int patientMonths, List<RiskFinding> findings) {
    }

    /** Patients whose packets are made together ({@link AuditPackets#packets}). */
    private static final int BATCH = 100;

    /**
     * Batches of packets made at once, the next while one is checked, so that the store answers one batch's reads
     * while another's packets are folded: at most this many batches' packets are held beyond those scanned.
     */
    private static final int IN_FLIGHT = 2;

    /** Where packets are made ahead of the scan; daemon threads, shared by every scan. */
    private static final java.util.concurrent.ExecutorService MAKERS = java.util.concurrent.Executors.newFixedThreadPool(
            IN_FLIGHT, DaemonThreads.named("risk-scan-packets"));

    private static List<AuditPacket> made(java.util.concurrent.Future<List<AuditPacket>> batch) {
        try {
            return batch.get();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("risk scan interrupted", e);
        } catch (java.util.concurrent.ExecutionException e) {
            throw e.getCause() instanceof RuntimeException cause ? cause
                    : new IllegalStateException("packets could not be made", e.getCause());
        }
    }

    private final AuditPackets packets;
    private final QueryGateway queries;

    RiskScan(AuditPackets packets, QueryGateway queries) {
        this.packets = packets;
        this.queries = queries;
    }

    Report scan(PracticeId practice, YearMonth month, Instant asKnownAt) {
        List<String> patients = queries.query(new FindPracticeMonthPatients(practice, month),
                                              ResponseTypes.multipleInstancesOf(String.class)).join();
        List<AuditPacket> scanned = new ArrayList<>();
        List<RiskFinding> findings = ownFindings(practice, month, asKnownAt, patients, scanned);
        findings.addAll(CrossPatientRisks.overlaps(scanned));
        findings.sort(Comparator.comparing(RiskFinding::patientId).thenComparing(RiskFinding::risk));
        return new Report(practice.value(), month.toString(), asKnownAt, scanned.size(),
                          packets.reviewed(findings, practice, month, asKnownAt));
    }

    /**
     * Each patient's own risks and the same beneficiary billed elsewhere, adding each scanned packet to
     * {@code scanned}; a patient the ledger did not know by {@code asKnownAt} is left out.
     */
    private List<RiskFinding> ownFindings(PracticeId practice, YearMonth month, Instant asKnownAt,
                                          List<String> patients, List<AuditPacket> scanned) {
        List<RiskFinding> findings = new ArrayList<>();
        java.util.ArrayDeque<java.util.concurrent.Future<List<AuditPacket>>> ahead = new java.util.ArrayDeque<>();
        int next = 0;
        try {
            while (next < patients.size() || !ahead.isEmpty()) {
                while (next < patients.size() && ahead.size() < IN_FLIGHT) {
                    List<String> batch = patients.subList(next, Math.min(patients.size(), next + BATCH));
                    ahead.add(MAKERS.submit(() -> packets.packets(practice, batch, month, asKnownAt)));
                    next += BATCH;
                }
                // patients enrolled after asKnownAt are left out: the ledger did not know them then
                for (AuditPacket packet : made(ahead.poll())) {
                    EnrollmentId id = EnrollmentId.of(practice.value(), packet.patientId());
                    scanned.add(packet);
                    findings.addAll(RiskRules.findings(packet));
                    findings.addAll(CrossPatientRisks.duplicates(packet,
                                                                 packets.sameBeneficiaryBilled(id, month, asKnownAt)));
                }
            }
        } finally {
            ahead.forEach(f -> f.cancel(true));
        }
        return findings;
    }

    /** For billing's month close and practice month: the findings now, with how many reviews each has. */
    @QueryHandler
    List<FindMonthRisks.MonthRisk> handle(FindMonthRisks query) {
        return monthRisks(scan(query.practiceId(), query.month(), null).findings());
    }

    /** For a page of the console's practice month: the page's patients' own findings now, with their reviews. */
    @QueryHandler
    List<FindMonthRisks.MonthRisk> handle(FindPatientMonthRisks query) {
        List<String> patients = query.patientIds().stream().sorted().distinct().toList();
        List<RiskFinding> findings = ownFindings(query.practiceId(), query.month(), null, patients,
                                                 new ArrayList<>());
        findings.sort(Comparator.comparing(RiskFinding::patientId).thenComparing(RiskFinding::risk));
        return monthRisks(packets.reviewed(findings, query.practiceId(), query.month(), null));
    }

    private static List<FindMonthRisks.MonthRisk> monthRisks(List<RiskFinding> findings) {
        return findings.stream()
                .map(f -> new FindMonthRisks.MonthRisk(f.patientId(), f.risk(), f.rule(), f.detail(),
                                                       f.reviews().size()))
                .toList();
    }

    /**
     * The findings as CSV, one row each: patient, month, risk, rule, source, detail, evidence ids (space-separated),
     * and the last review decision with its count.
     */
    static String csv(Report report) {
        StringBuilder csv = new StringBuilder("patientId,month,risk,rule,source,detail,evidence,reviews,"
                                              + "lastDecision\r\n");
        for (RiskFinding f : report.findings()) {
            String last = f.reviews().isEmpty() ? "" : f.reviews().get(f.reviews().size() - 1).decision();
            csv.append(String.join(",", Csv.cell(f.patientId()), Csv.cell(f.month()), Csv.cell(f.risk()),
                                   Csv.cell(f.rule()), Csv.cell(f.source()), Csv.cell(f.detail()),
                                   Csv.cell(String.join(" ", f.evidence())), String.valueOf(f.reviews().size()),
                                   Csv.cell(last))).append("\r\n");
        }
        return csv.toString();
    }
}
