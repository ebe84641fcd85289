/**
 * The public part of care plans: the care-plan id, the command that revises a plan, the event of each new version
 * and the query for the version in force (R10).
 */
package org.ccmledger.careplan.api;
