package org.ccmledger.billing.api;

import java.time.YearMonth;
import java.util.Objects;

import org.ccmledger.patient.PracticeId;

/**
 * The ids of the patients the billing read model holds for a practice's month (answered as a {@code List<String>}
 * in patient id order): those a risk scan or an audit looks at.
 */
public record FindPracticeMonthPatients(PracticeId practiceId, YearMonth month) {

    public FindPracticeMonthPatients {
        Objects.requireNonNull(practiceId, "practiceId");
        Objects.requireNonNull(month, "month");
    }
}
