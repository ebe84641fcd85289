package org.ccmledger.caretime;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.HashSet;
import java.util.List;
import java.util.Set;

import org.axonframework.eventhandling.AnnotationEventHandlerAdapter;
import org.ccmledger.billing.api.BillingStatementIssued;
import org.ccmledger.careplan.api.CarePlanRevised;
import org.ccmledger.caretime.api.CareCalendar;
import org.ccmledger.caretime.api.CareMinutesCorrected;
import org.ccmledger.caretime.api.CareMinutesLogged;
import org.ccmledger.caretime.api.CareMinutesVoided;
import org.ccmledger.consent.api.ConsentPeriods;
import org.ccmledger.ledger.LedgerFixture;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * The monthly-minutes read model takes, as Axon sees it, exactly the events its folds read: the care calendar's (R4
 * inpatient days, R8 death and disenrollment), the consent periods' (R8) and the time entries' (P4). Any other patient
 * event, a care plan or a statement, is not handled, so its payload is never read for this read model; and an event
 * one of the folds comes to read is handled as soon as it is in their lists.
 */
class MonthlyMinutesHandlersTest {

    private final LedgerFixture store = LedgerFixture.inMemory();
    private final AnnotationEventHandlerAdapter adapter =
            new AnnotationEventHandlerAdapter(new MonthlyMinutesProjection(store.database()));

    @AfterEach
    void close() {
        store.close();
    }

    @Test
    void handlesEveryEventItsFoldsReadAndNoOther() {
        Set<Class<?>> read = new HashSet<>(CareCalendar.EVENTS);
        read.addAll(ConsentPeriods.EVENTS);
        read.addAll(List.of(CareMinutesLogged.class, CareMinutesCorrected.class, CareMinutesVoided.class));

        assertThat(read).allSatisfy(type -> assertThat(adapter.canHandleType(type)).as(type.getSimpleName()).isTrue());
        assertThat(List.of(CarePlanRevised.class, BillingStatementIssued.class))
                .allSatisfy(type -> assertThat(adapter.canHandleType(type)).as(type.getSimpleName()).isFalse());
    }
}
