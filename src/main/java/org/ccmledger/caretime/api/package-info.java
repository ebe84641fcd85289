/**
 * The public part of care time: commands, events and queries of logged CCM minutes.
 */
package org.ccmledger.caretime.api;
