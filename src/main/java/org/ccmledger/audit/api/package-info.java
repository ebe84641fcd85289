/** Messages of the audit feature: access records, risk reviews, the console's reads of a patient's events and packets. */
package org.ccmledger.audit.api;
