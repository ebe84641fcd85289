/**
 * The public part of care time: commands, events and queries of logged CCM minutes, and the rules every part of the
 * ledger counts with: the time-entry fold (P4), the calendar of when time counts (P3, R4, death, disenrollment), the
 * countable minutes of a patient-month (P2, R3, R8) and whose time a person may record.
 */
package org.ccmledger.caretime.api;
