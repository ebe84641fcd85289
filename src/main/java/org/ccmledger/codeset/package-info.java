/**
 * The ICD-10-CM code sets (R7): the official billable codes of each fiscal-year edition, shipped with the service or
 * loaded since as a file, each edition recorded in the ledger with its fingerprint; whether a code is billable on a
 * date. Enrollment and billing ask through {@code codeset.api.DiagnosisCodes}.
 */
package org.ccmledger.codeset;
