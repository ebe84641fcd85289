package org.ccmledger.patient;

/** The face-to-face visit that initiates CCM (R9): an E/M visit of level 2–5, an AWV, an IPPE or a TCM visit. */
public enum VisitType { EM, AWV, IPPE, TCM }
