package org.ccmledger.consent.api;

/**
 * Where a consent decision stands (R8). {@code REVOKED} as soon as a revocation is recorded, although the consent
 * still covers care time until the revocation takes effect at month end ({@code effectiveUntil});
 * {@code ENDED_BY_PRACTITIONER_CHANGE} when the patient's billing practitioner changed while it was in force.
 */
public enum ConsentStatus { IN_FORCE, REVOKED, DECLINED, ENDED_BY_PRACTITIONER_CHANGE }
