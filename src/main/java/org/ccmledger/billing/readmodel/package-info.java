/**
 * Where a patient's billing facts come from, and the views evaluated on them: the {@code billing} read model (one
 * record per patient, one index per practice-month, kept by a tracking processor), the same fold read straight from
 * the ledger's streams ({@code BillingLedger}, as of now or as of any instant), and the patient- and practice-month
 * views ({@code BillingReads}).
 */
package org.ccmledger.billing.readmodel;
