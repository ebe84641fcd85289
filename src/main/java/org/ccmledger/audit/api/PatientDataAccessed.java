package org.ccmledger.audit.api;

import java.time.Instant;

import org.axonframework.serialization.Revision;

/**
 * Somebody read a practice's patient data: who (from the request), what (the resource and the path), when, and the
 * purpose of use they declared. Appended to the ledger before the data is served, as an event of no aggregate, so the
 * access log has the same global index, hash and recorded time as every other fact.
 *
 * @param practiceId   the practice whose data was read
 * @param patientId    the patient, or {@code null} for a practice-wide read (billing month, event log …)
 * @param resource     what was read: {@code history}, {@code timeline}, {@code audit-packet}, {@code billing},
 *                     {@code events}, {@code access-log} …
 * @param path         the request path and query string (the filters of a query)
 * @param actor        who read it
 * @param purposeOfUse the declared purpose (HL7 PurposeOfUse code, e.g. {@code TREAT}, {@code HPAYMT},
 *                     {@code HCOMPL}), or {@code UNSPECIFIED}
 * @param accessedAt   when the read was requested
 * @param breakGlassReason the reason stated for an emergency read that the caller's roles would not have opened
 *                     (break-glass, {@code X-Break-Glass}); {@code null} for every other read. Added in revision 2;
 *                     a revision-1 record reads with it {@code null}, so no upcaster is needed
 */
@Revision("2")
public record PatientDataAccessed(String practiceId, String patientId, String resource, String path, String actor,
                                  String purposeOfUse, Instant accessedAt, String breakGlassReason) {

    /** Whether this read opened a record in an emergency (break-glass). */
    public boolean brokeGlass() {
        return breakGlassReason != null;
    }
}
