package org.ccmledger.patient;

/** The level of medical decision making complex CCM needs (R7, P1). */
public enum MedicalDecisionMaking { MODERATE, HIGH }
