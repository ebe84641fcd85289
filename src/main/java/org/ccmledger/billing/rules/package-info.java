/**
 * Billing's rules, pure: a patient's facts folded from the ledger ({@code PatientBillingRecord}, built on the consent,
 * time-entry and calendar folds of the features' {@code api} packages) and a year's versioned rule and fee data
 * ({@code ccm-rules-<year>.json}, overridable by a practice) go in; the practitioner billed (R6), the family and lines
 * (R2, R5, P1), the minutes (via {@code CountableMinutes}), every blocker, flag and alternative with its rule, and the
 * fee basis (R15) come out. No I/O but reading the rule data files.
 */
package org.ccmledger.billing.rules;
