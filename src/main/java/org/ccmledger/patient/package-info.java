/**
 * The public part of enrollment: typed ids, commands and events of a patient's CCM enrollment.
 */
package org.ccmledger.enrollment.api;
