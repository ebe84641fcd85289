/**
 * Refusals of the domain and how every failure becomes an RFC 9457 problem response.
 */
package org.ccmledger.platform.problem;
