package org.ccmledger.consent.api;

/** Whether the patient accepted or declined CCM (R8: the record notes which). */
public enum ConsentDecision { ACCEPTED, DECLINED }
