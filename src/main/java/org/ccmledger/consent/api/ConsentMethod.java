package org.ccmledger.consent.api;

/** How consent was obtained (R8: verbal or written, documented in the record). */
public enum ConsentMethod { VERBAL, WRITTEN }
