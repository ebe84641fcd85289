/**
 * Care time: minutes of non-face-to-face care logged for a patient, and the monthly totals derived from them.
 */
package org.ccmledger.caretime;
