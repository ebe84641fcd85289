/**
 * Billing: which CCM codes a patient-month earns and what they are allowed to pay. The core here is pure: a month's
 * counted minutes and attestations plus the year's versioned rule and fee data go in; the billed family, its lines
 * and the reasons for every alternative come out (R2, R5, P1). Rule and fee data live in
 * {@code billing/ccm-rules-<year>.json}, and a practice may override them per year.
 */
package org.ccmledger.billing;
