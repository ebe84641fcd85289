package org.ccmledger.caretime.api;

import java.time.LocalDate;

/**
 * R4: an inpatient stay's days, admission and discharge day included, on which care time does not count.
 *
 * @param <S> what the caller keeps of the event it came from
 */
public record InpatientStay<S>(LocalDate admittedOn, LocalDate dischargedOn, S source) {

    public boolean contains(LocalDate day) {
        return !day.isBefore(admittedOn) && !day.isAfter(dischargedOn);
    }
}
