/**
 * Onboarding: a practice moving from another CCM product brings its history (enrolments, consents, care-plan versions,
 * visits, care minutes, corrections) as NDJSON, one fact per line with a line id. Each line becomes the command the API
 * would send, judged by the same rules, and lands in the ledger hashed and chained like any other event, with its
 * original recorded-at and line id as metadata. A line is written whole or not at all, and only once per line id.
 */
package org.ccmledger.onboarding;
