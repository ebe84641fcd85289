/**
 * Audit and compliance: the event-log query with its index, a patient's history as of any instant and timeline, the
 * audit packet, and the access log of every read of patient data.
 */
package org.ccmledger.audit;
