package org.ccmledger.codeset.api;

import java.time.LocalDate;

/**
 * The official ICD-10-CM code sets (R7): whether a code may be billed on a date, by the fiscal-year edition in force
 * then (an edition runs from 1 October to 30 September). Enrollment refuses a code that is not billable; billing blocks
 * a month whose diagnoses no longer are.
 */
public interface DiagnosisCodes {

    /** What the edition in force on {@code on} says of {@code code} (with or without its dot, any case). */
    Billability billability(String code, LocalDate on);
}
