package org.ccmledger.billing.api;

import java.time.YearMonth;
import java.util.List;

import org.axonframework.messaging.MetaData;
import org.ccmledger.patient.PracticeId;

/**
 * A practice's month for the console: closing it (R12) as {@code POST .../billing/{month}/close} does, and its files as
 * the billing endpoints serve them. Blocking.
 */
public interface PracticeMonths {

    /** The outcome of a close for one patient: {@code ISSUED}, {@code ALREADY_CLOSED} or {@code NOT_BILLABLE}. */
    record Closed(String patientId, String status, String statementId, List<Reason> blockers) {
    }

    /** Closes the month, the commands carrying {@code metaData} (the acting user, the request id). */
    List<Closed> close(PracticeId practice, YearMonth month, MetaData metaData);

    /** The month as CSV, as {@code GET .../billing/{month}} with {@code Accept: text/csv} answers. */
    String csv(PracticeId practice, YearMonth month);

    /** The month's claims as CSV, as {@code GET .../claims/{month}} with {@code Accept: text/csv} answers. */
    String claimsCsv(PracticeId practice, YearMonth month);

    /** The month as NDJSON, one patient row a line, as {@code GET .../billing/{month}} with NDJSON answers. */
    String ndjson(PracticeId practice, YearMonth month);

    /** The month's claims as a FHIR R4 Bundle of Claims, as {@code GET .../claims/{month}} with FHIR JSON answers. */
    String claimsFhir(PracticeId practice, YearMonth month);

    /** The practice's next 837P interchange for the month, recorded in the export ledger with {@code metaData}. */
    Interchange claimsX12(PracticeId practice, YearMonth month, MetaData metaData);

    /** An 837P interchange as sent: its control number and text. */
    record Interchange(long controlNumber, String text) {
    }
}
