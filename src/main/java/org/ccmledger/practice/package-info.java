/**
 * A practice's profile: where it bills from (place of service, R13, with other billing locations) and how its claims
 * go out, recorded as events and read from the ledger; billing and the exports read the profile in force.
 */
package org.ccmledger.practice;
