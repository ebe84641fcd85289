package org.ccmledger.billing.export;

import java.time.YearMonth;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.IntStream;

import org.ccmledger.billing.api.BillingAdjustmentIssued;
import org.ccmledger.billing.api.BillingMonthId;
import org.ccmledger.billing.api.BillingStatementIssued;
import org.ccmledger.billing.api.StatementLine;
import org.ccmledger.billing.api.VisitAddOn;
import org.ccmledger.billing.readmodel.BillingLedger;
import org.ccmledger.billing.readmodel.BillingProjection;
import org.ccmledger.billing.readmodel.BillingReads;
import org.ccmledger.billing.rules.BillingProperties;
import org.ccmledger.patient.EnrollmentId;
import org.ccmledger.platform.problem.Refusal;
import org.ccmledger.platform.web.Csv;
import org.springframework.stereotype.Component;

/**
 * The claim-ready lines of a closed month, read from the patient-months' billing streams in the ledger: each
 * statement is an original claim (its id is the statement's), each adjustment a replacement of the claim before it
 * (P4). Ids are derived from the events, so exporting twice gives the same claims. An adjustment that leaves nothing
 * billable has no lines to claim: it is listed in {@link Feed#voided()} for the practice to void the prior claim.
 */
@Component
public class ClaimsFeed {

    /**
     * What a month exports: claims, the claims whose replacement would have no line ({@code voided}), and for each of
     * those the adjustment that voided it ({@code voidedBy}).
     */
    public record Feed(List<Claim> claims, List<String> voided, java.util.Map<String, String> voidedBy) {

        public Feed(List<Claim> claims, List<String> voided) {
            this(claims, voided, java.util.Map.of());
        }
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

    /** Patients whose billing streams are read together. */
    private static final int BATCH = 100;

    public Feed claims(String practiceId, YearMonth month) {
        List<Claim> claims = new ArrayList<>();
        List<String> voided = new ArrayList<>();
        java.util.Map<String, String> voidedBy = new java.util.LinkedHashMap<>();
        for (List<String> batch : batches(practiceId, month)) {
            Feed part = claims(practiceId, month, batch);
            claims.addAll(part.claims());
            voided.addAll(part.voided());
            voidedBy.putAll(part.voidedBy());
        }
        return new Feed(claims, voided, voidedBy);
    }

    /**
     * The month's patients in batches, in patient id order, once the billing read model has caught up with the ledger:
     * {@link #claims(String, YearMonth)} is the feed of each batch ({@link #claims(String, YearMonth, List)}) in turn.
     */
    public List<List<String>> batches(String practiceId, YearMonth month) {
        catchUp.await(BillingProjection.PROCESSING_GROUP, java.time.Duration.ofSeconds(10));
        List<String> patients = reads.patientsOf(practiceId, month);
        List<List<String>> batches = new ArrayList<>();
        for (int from = 0; from < patients.size(); from += BATCH) {
            batches.add(patients.subList(from, Math.min(patients.size(), from + BATCH)));
        }
        return batches;
    }

    /** The claims of some patients of the month, their billing streams read together from the ledger. */
    public Feed claims(String practiceId, YearMonth month, List<String> patientIds) {
        List<Claim> claims = new ArrayList<>();
        List<String> voided = new ArrayList<>();
        java.util.Map<String, String> voidedBy = new java.util.LinkedHashMap<>();
        List<BillingMonthId> ids = patientIds.stream()
                                             .map(p -> new BillingMonthId(EnrollmentId.of(practiceId, p), month))
                                             .toList();
        var streams = ledger.billingEvents(ids);
        for (BillingMonthId id : ids) {
            String patientId = id.enrollmentId().patientId().value();
            BillingStatementIssued statement = null;
            String previous = null;
            for (Object event : streams.get(id).stream().map(ledger::payload).toList()) {
                if (event instanceof BillingStatementIssued s) {
                    statement = s;
                    previous = s.statementId();
                    List<StatementLine> lines = ccmLines(s.lines());
                    if (!lines.isEmpty()) {
                        claims.add(claim(s.statementId(), Claim.Frequency.ORIGINAL, null, practiceId, patientId, s,
                                         lines, s.billingPractitioner()));
                    }
                    addOns(s).forEach(addOn -> claims.add(visitClaim(practiceId, patientId, s, addOn)));
                } else if (event instanceof BillingAdjustmentIssued a && statement != null) {
                    if (a.lines().isEmpty()) {
                        voided.add(previous);
                        voidedBy.put(previous, a.adjustmentId());
                    } else {
                        claims.add(claim(a.adjustmentId(), Claim.Frequency.REPLACEMENT, previous, practiceId,
                                         patientId, statement, a.lines(), a.billingPractitioner()));
                    }
                    previous = a.adjustmentId();
                }
            }
        }
        return new Feed(claims, voided, voidedBy);
    }

    /** The CCM claim's lines: G0506 never stands on it (R9); a statement issued before add-ons were apart had it. */
    private static List<StatementLine> ccmLines(List<StatementLine> lines) {
        return lines.stream().filter(l -> !"G0506".equals(l.code())).toList();
    }

    /** The statement's visit add-ons; on a statement issued before they were apart, its G0506 line as one. */
    private static List<VisitAddOn> addOns(BillingStatementIssued s) {
        if (!s.addOns().isEmpty()) {
            return s.addOns();
        }
        return s.lines().stream().filter(l -> "G0506".equals(l.code()))
                .map(l -> new VisitAddOn("G0506", null, l.servicedDate(), s.billingPractitioner(), l.unitAmount(),
                                         l.basis(), null, null))
                .toList();
    }

    /**
     * The initiating visit's claim (R9): its base code and the G0506 add-on, on the visit's date, under the practitioner
     * who furnished the visit. Its id is the statement's with {@code -V}.
     */
    private Claim visitClaim(String practiceId, String patientId, BillingStatementIssued s, VisitAddOn addOn) {
        String claimId = s.statementId() + "-V";
        List<String> diagnoses = s.diagnoses();
        List<Integer> pointers = IntStream.rangeClosed(1, Math.min(4, diagnoses.size())).boxed().toList();
        List<Claim.Item> items = new ArrayList<>();
        if (addOn.baseCode() != null) {
            items.add(new Claim.Item(claimId + "-1", 1, addOn.baseCode(), 1, addOn.baseUnitAmount(),
                                     addOn.visitDate(), pointers));
        }
        items.add(new Claim.Item(claimId + "-" + (items.size() + 1), items.size() + 1, addOn.code(), 1,
                                 addOn.unitAmount(), addOn.visitDate(), pointers));
        return new Claim(claimId, Claim.Frequency.ORIGINAL, null, practiceId, patientId, addOn.practitioner(),
                         s.month(), placeOfService(s), diagnoses, items, Claim.Kind.INITIATING_VISIT);
    }

    private String placeOfService(BillingStatementIssued s) {
        return s.feeBasis().placeOfService() != null ? s.feeBasis().placeOfService() : properties.placeOfService();
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
                         statement.month(), placeOfService(statement), diagnoses, items);
    }

    /** The claims as CSV, one row per line; a voided claim as a row without code. */
    public static String csv(Feed feed) {
        return CSV_HEADER + csvClaims(feed.claims()) + csvVoided(feed.voided());
    }

    /** The CSV's header line. */
    public static final String CSV_HEADER = "claimId,frequency,replacesClaimId,patientId,billingPractitioner,month,"
                                            + "lineId,sequence,code,units,unitAmount,lineAmount,servicedDate,"
                                            + "placeOfService,diagnoses,claimKind,addOnTo\r\n";

    /** The CSV rows of some claims, one per line, as {@link #csv} writes them. */
    public static String csvClaims(List<Claim> claims) {
        StringBuilder out = new StringBuilder();
        for (Claim claim : claims) {
            for (Claim.Item item : claim.items()) {
                out.append(String.join(",", claim.claimId(), claim.frequency().name(),
                                       claim.replacesClaimId() == null ? "" : claim.replacesClaimId(),
                                       Csv.cell(claim.patientId()), claim.billingPractitioner(),
                                       claim.month().toString(), item.lineId(), String.valueOf(item.sequence()),
                                       item.code(), String.valueOf(item.units()),
                                       item.unitAmount() == null ? "unknown" : item.unitAmount().toPlainString(),
                                       item.lineAmount() == null ? "unknown" : item.lineAmount().toPlainString(),
                                       item.servicedDate().toString(), claim.placeOfService(),
                                       Csv.cell(String.join(" ", claim.diagnoses())), claim.kind().name(),
                                       addOnTo(claim, item)))
                   .append("\r\n");
            }
        }
        return out.toString();
    }

    /** The CSV rows of voided claims, as {@link #csv} writes them after every claim's rows. */
    public static String csvVoided(List<String> voided) {
        StringBuilder out = new StringBuilder();
        for (String claimId : voided) {
            out.append(claimId).append(",VOID,").append(claimId).append(",,,,,,,,,,,,,,\r\n");
        }
        return out.toString();
    }

    /** For an add-on line of a visit claim (G0506): the base code it rides on, else empty. */
    private static String addOnTo(Claim claim, Claim.Item item) {
        if (claim.kind() != Claim.Kind.INITIATING_VISIT || !"G0506".equals(item.code()) || item.sequence() == 1) {
            return "";
        }
        return claim.items().get(0).code();
    }
}
