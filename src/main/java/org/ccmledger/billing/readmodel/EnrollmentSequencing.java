package org.ccmledger.billing.readmodel;

import org.axonframework.eventhandling.DomainEventMessage;
import org.axonframework.eventhandling.EventMessage;
import org.axonframework.eventhandling.async.SequencingPolicy;
import org.springframework.stereotype.Component;

/**
 * The billing processor's sequencing policy ({@code axon.eventhandling.processors.billing.sequencing-policy}): every
 * event of one enrollment, whichever of its streams it is in (the enrollment, its care plan, its billing months), goes
 * to the same segment in order, because {@link BillingProjection} folds them into one document per patient. So the
 * processor may run in several segments, spread over the service's instances. Events of no enrollment have no
 * sequence (the projection ignores them).
 */
@Component(EnrollmentSequencing.BEAN)
public class EnrollmentSequencing implements SequencingPolicy<EventMessage<?>> {

    /** The bean name the processor's settings refer to. */
    public static final String BEAN = "enrollmentSequencing";

    @Override
    public Object getSequenceIdentifierFor(EventMessage<?> event) {
        if (!(event instanceof DomainEventMessage<?> domain) || domain.getAggregateIdentifier() == null) {
            return null;
        }
        // BillingProjection.enrollmentOfStream(...).toString() without building and checking the ids: asked of every
        // event by every segment
        String stream = domain.getAggregateIdentifier();
        int first = stream.indexOf('/');
        if (first < 0) {
            return null;
        }
        int second = stream.indexOf('/', first + 1);
        return second < 0 ? stream : stream.substring(0, second);
    }
}
