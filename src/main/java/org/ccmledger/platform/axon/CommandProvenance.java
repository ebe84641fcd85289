package org.ccmledger.platform.axon;

import java.util.Map;

import org.axonframework.eventhandling.EventMessage;
import org.axonframework.messaging.Message;
import org.axonframework.messaging.correlation.CorrelationDataProvider;
import org.axonframework.messaging.correlation.SimpleCorrelationDataProvider;

/**
 * Copies a command's {@link Provenance} keys onto every message created while it is handled: its events. While an
 * event is handled, nothing is copied. Axon asks for correlation data whenever a message is created inside a unit of
 * work, and an event processor creates one (the handler's result) for every event it handles, so copying from events
 * had every read model deserialize every event's metadata for nothing. No event handler here sends a message on an
 * event's behalf without saying what it carries ({@code AdjustmentPolicy} passes the actor and request itself).
 */
final class CommandProvenance implements CorrelationDataProvider {

    private final SimpleCorrelationDataProvider keys =
            new SimpleCorrelationDataProvider(Provenance.KEYS.toArray(String[]::new));

    @Override
    public Map<String, ?> correlationDataFor(Message<?> message) {
        return message instanceof EventMessage<?> ? Map.of() : keys.correlationDataFor(message);
    }
}
