/**
 * Billing: which CCM codes a patient-month earns, what they are allowed to pay, and what goes out on a claim. Its parts
 * follow the flow, each depending only on the ones before it: {@code rules} (the pure decision from the patient's facts
 * and the year's rule and fee data), {@code readmodel} (where a patient's facts come from: the read model, or the
 * ledger itself), {@code statement} (closing a month, adjusting it, verifying it), {@code export} (the practice's
 * month and the claims feed), and beside them {@code feeschedule} (a year's CMS file imported as rule data). This package
 * holds only the HTTP controller; {@code api} the messages and views.
 */
package org.ccmledger.billing;
