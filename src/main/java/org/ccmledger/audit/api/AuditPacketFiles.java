package org.ccmledger.audit.api;

import java.time.YearMonth;

import org.ccmledger.patient.EnrollmentId;

/** A patient-month's audit packet as the PDF {@code GET .../audit-packet/{month}} serves. Blocking. */
public interface AuditPacketFiles {

    byte[] pdf(EnrollmentId patient, YearMonth month);
}
