package org.ccmledger.codeset.api;

/**
 * The identity of the ICD-10-CM code-set record, and so of its aggregate and event stream: {@code reference:icd10cm}.
 * One stream holds every edition loaded, so which edition billed a month stays provable from the ledger.
 */
public record Icd10CodeSetId() {

    public static final Icd10CodeSetId INSTANCE = new Icd10CodeSetId();

    @Override
    public String toString() {
        return "reference:icd10cm";
    }
}
