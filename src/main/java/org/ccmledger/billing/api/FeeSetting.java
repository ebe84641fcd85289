package org.ccmledger.billing.api;

/**
 * Which of a code's two national rates applies (R13, R15): the non-facility rate, or the facility rate when the
 * service is billed with a facility place of service (POS 19, 21, 22, 23, 31 …, see {@code billing/place-of-service.json}).
 */
public enum FeeSetting { NON_FACILITY, FACILITY }
