/**
 * Consent: the patient's documented agreement to CCM for a billing practitioner, with the four disclosures of R8,
 * and its revocation, effective at the end of the calendar month. The rule of how consent periods begin and end is one
 * fold in {@code api} ({@code ConsentPeriods}), which the enrollment aggregate decides with and the consents read
 * model, billing and audit read; this package records consent over HTTP and keeps the consent read model: every
 * decision with how it ended, as JSON or FHIR R4.
 */
package org.ccmledger.consent;
