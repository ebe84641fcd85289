/** The service's own background threads: named daemon thread factories. */
package org.ccmledger.platform.threads;
