/**
 * The public part of consent: recording, declining and revoking a patient's CCM consent (R8), the fold of consent
 * periods and the practitioner timeline every part of the ledger reads (R6, R8), and the query for a patient's consent
 * decisions with how each ended.
 */
package org.ccmledger.consent.api;
