/**
 * The public face of billing: the codes assigned to a patient-month, their allowed amounts and the trace of why each
 * CCM family was billed, lost or did not qualify (P1, R2, R5).
 */
package org.ccmledger.billing.api;
