/**
 * Consent: the patient's documented agreement to CCM for a billing practitioner, with the four disclosures of R8,
 * and its revocation, effective at the end of the calendar month. The rules live in the enrollment aggregate, which
 * is the consistency boundary for everything that decides whether care time may be recorded; this package records
 * consent over HTTP and keeps the consent read model: every decision with how it ended, as JSON or FHIR R4.
 */
package org.ccmledger.consent;
