/**
 * What has been billed: closing a month into one statement per billable patient-month (R12), the {@code BillingMonth}
 * aggregate that keeps a patient-month's statement and adjustments (P4, R19, R14), the policy that re-evaluates closed
 * months when later events may change them, and re-verification of statements against the ledger.
 */
package org.ccmledger.billing.statement;
