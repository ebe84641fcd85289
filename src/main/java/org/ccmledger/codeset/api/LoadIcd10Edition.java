package org.ccmledger.codeset.api;

import java.time.LocalDate;

import org.axonframework.modelling.command.TargetAggregateIdentifier;

/**
 * Loads an ICD-10-CM edition: its name, the dates it is in force, and the fingerprints of what was read. The codes
 * themselves are stored beside the ledger (they are large) and checked against {@code codesSha256} whenever read.
 *
 * @param edition        e.g. {@code FY2027}
 * @param effectiveFrom  first day in force (1 October for a fiscal-year edition)
 * @param effectiveTo    last day in force
 * @param fileSha256     SHA-256 of the file as uploaded, uncompressed (as CMS/NCHS publish it)
 * @param codesSha256    SHA-256 of the billable codes, sorted, each followed by a line feed
 * @param codeCount      how many billable codes
 * @param source         where the file came from, as the operator says
 */
public record LoadIcd10Edition(@TargetAggregateIdentifier Icd10CodeSetId codeSet, String edition,
                               LocalDate effectiveFrom, LocalDate effectiveTo, String fileSha256, String codesSha256,
                               int codeCount, String source) {
}
