package org.ccmledger.billing.export;

import java.time.LocalTime;
import java.time.YearMonth;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.IntStream;

import org.ccmledger.billing.api.BillingAdjustmentIssued;
import org.ccmledger.billing.api.BillingMonthId;
import org.ccmledger.billing.api.BillingStatementIssued;
import org.ccmledger.billing.api.StatementLine;
import org.ccmledger.billing.readmodel.BillingLedger;
import org.ccmledger.billing.readmodel.BillingProjection;
import org.ccmledger.billing.readmodel.BillingReads;
import org.ccmledger.billing.rules.BillingProperties;
import org.ccmledger.platform.problem.Refusal;
import org.ccmledger.patient.EnrollmentId;
import org.springframework.stereotype.Component;

/**
 * The claim-ready lines of a closed month, read from the patient-months' billing streams in the ledger: each
 * statement is an original claim (its id is the statement's), each adjustment a replacement of the claim before it
 * (P4). Ids are derived from the events, so exporting twice gives the same claims. An adjustment that leaves nothing
 * billable has no lines to claim: it is listed in {@link Feed#voided()} for the practice to void the prior claim.
 */
@Component
public class ClaimsFeed {

    /** What a month exports: claims, and the claims whose replacement would have no line. */
    public record Feed(List<Claim> claims, List<String> voided) {
    }

    private final BillingReads reads;
    private final BillingLedger ledger;
    private final BillingProperties properties;
    private final org.ccmledger.platform.axon.ProcessorCatchUp catchUp;

    ClaimsFeed(BillingReads reads, BillingLedger ledger, BillingProperties properties,
               org.ccmledger.platform.axon.ProcessorCatchUp catchUp) {
        this.reads = reads;
        this.ledger = ledger;
        this.properties = properties;
        this.catchUp = catchUp;
    }

    public Feed claims(String practiceId, YearMonth month) {
        catchUp.await(BillingProjection.PROCESSING_GROUP, java.time.Duration.ofSeconds(10));
        List<Claim> claims = new ArrayList<>();
        List<String> voided = new ArrayList<>();
        for (String patientId : reads.patientsOf(practiceId, month)) {
            BillingMonthId id = new BillingMonthId(EnrollmentId.of(practiceId, patientId), month);
            BillingStatementIssued statement = null;
            String previous = null;
            for (Object event : ledger.billingStream(id)) {
                if (event instanceof BillingStatementIssued s) {
                    statement = s;
                    previous = s.statementId();
                    claims.add(claim(s.statementId(), Claim.Frequency.ORIGINAL, null, practiceId, patientId, s,
                                     s.lines(), s.billingPractitioner()));
                } else if (event instanceof BillingAdjustmentIssued a && statement != null) {
                    if (a.lines().isEmpty()) {
                        voided.add(previous);
                    } else {
                        claims.add(claim(a.adjustmentId(), Claim.Frequency.REPLACEMENT, previous, practiceId,
                                         patientId, statement, a.lines(), a.billingPractitioner()));
                    }
                    previous = a.adjustmentId();
                }
            }
        }
        return new Feed(claims, voided);
    }

    /**
     * The month's claims as an X12 837P interchange. The envelope is derived from the practice and month (control
     * number from a hash, prepared the day after month end), so exporting twice gives the same bytes.
     */
    public X12Export x12(String practiceId, YearMonth month) {
        Feed all = claims(practiceId, month);
        List<Claim> writable = all.claims().stream()
                                  .filter(c -> c.items().stream().allMatch(i -> i.unitAmount() != null)).toList();
        List<String> withheld = all.claims().stream().filter(c -> !writable.contains(c)).map(Claim::claimId).toList();
        Feed feed = new Feed(writable, all.voided());
        if (feed.claims().isEmpty()) {
            throw Refusal.notFound("NO_CLAIMS", withheld.isEmpty()
                    ? "the month has no closed, billable patient-months to claim"
                    : "every claim of the month has a line whose amount is unknown (R15): " + withheld);
        }
        int control = Math.floorMod((practiceId + "|" + month).hashCode(), 999_999_999) + 1;
        X12Envelope envelope = new X12Envelope(properties.x12SenderId(), properties.x12ReceiverId(), control,
                                               month.plusMonths(1).atDay(1), LocalTime.MIDNIGHT);
        try {
            return new X12Export(X12Claims.write837P(feed.claims(), envelope), withheld);
        } catch (IllegalArgumentException e) {
            throw Refusal.rule("X12_NOT_WRITABLE", "R15", e.getMessage());
        }
    }

    /** An 837P interchange, and the claims left out of it because a line's amount is unknown (R15). */
    public record X12Export(String interchange, List<String> withheld) {
    }

    private Claim claim(String claimId, Claim.Frequency frequency, String replaces, String practiceId,
                        String patientId, BillingStatementIssued statement, List<StatementLine> lines,
                        String practitioner) {
        List<String> diagnoses = statement.diagnoses();
        List<Integer> pointers = IntStream.rangeClosed(1, Math.min(4, diagnoses.size())).boxed().toList();
        List<Claim.Item> items = new ArrayList<>();
        for (int i = 0; i < lines.size(); i++) {
            StatementLine line = lines.get(i);
            items.add(new Claim.Item(claimId + "-" + (i + 1), i + 1, line.code(), line.units(), line.unitAmount(),
                                     line.servicedDate(), pointers));
        }
        return new Claim(claimId, frequency, replaces, practiceId, patientId, practitioner,
                         statement.month(), properties.placeOfService(), diagnoses, items);
    }

    /** The claims as CSV, one row per line; a voided claim as a row without code. */
    public static String csv(Feed feed) {
        StringBuilder out = new StringBuilder("claimId,frequency,replacesClaimId,patientId,billingPractitioner,month,"
                                              + "lineId,sequence,code,units,unitAmount,lineAmount,servicedDate,"
                                              + "placeOfService,diagnoses\r\n");
        for (Claim claim : feed.claims()) {
            for (Claim.Item item : claim.items()) {
                out.append(String.join(",", claim.claimId(), claim.frequency().name(),
                                       claim.replacesClaimId() == null ? "" : claim.replacesClaimId(),
                                       Csv.cell(claim.patientId()), claim.billingPractitioner(),
                                       claim.month().toString(), item.lineId(), String.valueOf(item.sequence()),
                                       item.code(), String.valueOf(item.units()),
                                       item.unitAmount() == null ? "unknown" : item.unitAmount().toPlainString(),
                                       item.lineAmount() == null ? "unknown" : item.lineAmount().toPlainString(),
                                       item.servicedDate().toString(), claim.placeOfService(),
                                       Csv.cell(String.join(" ", claim.diagnoses()))))
                   .append("\r\n");
            }
        }
        for (String claimId : feed.voided()) {
            out.append(claimId).append(",VOID,").append(claimId).append(",,,,,,,,,,,,\r\n");
        }
        return out.toString();
    }
}
