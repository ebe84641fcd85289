/** Commands of the jar besides running the service: loading reference data into a running service over its API. */
package org.ccmledger.platform.cli;
