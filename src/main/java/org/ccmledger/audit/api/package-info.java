/**
 * Messages of the audit feature: access records, risk reviews, and the console's reads of a patient's events and
 * audit packets.
 */
package org.ccmledger.audit.api;
