/**
 * The public part of consent: recording, declining and revoking a patient's CCM consent (R8).
 */
package org.ccmledger.consent.api;
