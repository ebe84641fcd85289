/**
 * The public part of consent: recording, declining and revoking a patient's CCM consent (R8), and the query for a
 * patient's consent decisions with how each ended.
 */
package org.ccmledger.consent.api;
