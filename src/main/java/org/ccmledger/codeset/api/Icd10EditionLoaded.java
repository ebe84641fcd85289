package org.ccmledger.codeset.api;

import java.time.LocalDate;

import org.axonframework.serialization.Revision;

/** An ICD-10-CM edition was loaded ({@link LoadIcd10Edition}); it decides billability from its first day in force. */
@Revision("1")
public record Icd10EditionLoaded(Icd10CodeSetId codeSet, String edition, LocalDate effectiveFrom,
                                 LocalDate effectiveTo, String fileSha256, String codesSha256, int codeCount,
                                 String source) {
}
