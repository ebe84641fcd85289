package org.ccmledger.billing.readmodel;

import static org.assertj.core.api.Assertions.assertThat;

import org.axonframework.eventhandling.GenericDomainEventMessage;
import org.axonframework.eventhandling.GenericEventMessage;
import org.junit.jupiter.api.Test;

class EnrollmentSequencingTest {

    private final EnrollmentSequencing sequencing = new EnrollmentSequencing();

    private Object of(String stream) {
        return sequencing.getSequenceIdentifierFor(new GenericDomainEventMessage<>("T", stream, 0, "payload"));
    }

    @Test
    void everyStreamOfAnEnrollmentHasTheEnrollmentsSequenceAsTheProjectionReadsIt() {
        for (String stream : new String[] {"pr-1/pt-9", "pr-1/pt-9/care-plan", "pr-1/pt-9/billing/2026-03"}) {
            assertThat(of(stream)).isEqualTo(BillingProjection.enrollmentOfStream(stream).orElseThrow().toString())
                                  .isEqualTo("pr-1/pt-9");
        }
        assertThat(of("pr-1/pt-10")).isNotEqualTo(of("pr-1/pt-9"));
        assertThat(of("pr-2/pt-9")).isNotEqualTo(of("pr-1/pt-9"));
    }

    @Test
    void eventsOfNoEnrollmentHaveNoSequence() {
        assertThat(of("fee-schedule-2026")).isNull();
        assertThat(sequencing.getSequenceIdentifierFor(GenericEventMessage.asEventMessage("no stream"))).isNull();
    }
}
