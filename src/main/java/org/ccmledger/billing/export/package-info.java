/**
 * What leaves the ledger for a clearinghouse or a practice: the claims feed read from the closed months' billing
 * streams (originals and replacements), as CSV, FHIR R4 {@code Claim} and X12 837P, and the practice's month as CSV.
 */
package org.ccmledger.billing.export;
