package org.ccmledger.consent;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;

import org.axonframework.eventhandling.AnnotationEventHandlerAdapter;
import org.ccmledger.billing.api.BillingStatementIssued;
import org.ccmledger.careplan.api.CarePlanRevised;
import org.ccmledger.caretime.api.CareMinutesLogged;
import org.ccmledger.consent.api.ConsentPeriods;
import org.ccmledger.ledger.LedgerFixture;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * The consents read model takes, as Axon sees it, exactly the events the consent periods' fold reads (R8: consent
 * before service, revocation, a change of billing practitioner). Care time, care plans and statements are not
 * handled, so their payloads are never read for it.
 */
class ConsentHandlersTest {

    private final LedgerFixture store = LedgerFixture.inMemory();
    private final AnnotationEventHandlerAdapter adapter =
            new AnnotationEventHandlerAdapter(new ConsentProjection(store.database()));

    @AfterEach
    void close() {
        store.close();
    }

    @Test
    void handlesEveryEventTheConsentFoldReadsAndNoOther() {
        assertThat(ConsentPeriods.EVENTS)
                .allSatisfy(type -> assertThat(adapter.canHandleType(type)).as(type.getSimpleName()).isTrue());
        assertThat(List.of(CareMinutesLogged.class, CarePlanRevised.class, BillingStatementIssued.class))
                .allSatisfy(type -> assertThat(adapter.canHandleType(type)).as(type.getSimpleName()).isFalse());
    }
}
