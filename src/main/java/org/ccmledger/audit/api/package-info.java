/** Messages of the audit feature: access records. */
package org.ccmledger.audit.api;
