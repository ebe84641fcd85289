package org.ccmledger.enrollment.api;

/** The level of medical decision making complex CCM needs (R7, P1). */
public enum MedicalDecisionMaking { MODERATE, HIGH }
