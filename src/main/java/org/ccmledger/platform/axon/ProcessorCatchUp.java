package org.ccmledger.platform.axon;

import java.time.Duration;
import java.util.Map;
import java.util.OptionalLong;

import org.axonframework.config.EventProcessingConfiguration;
import org.axonframework.eventhandling.EventTrackerStatus;
import org.axonframework.eventhandling.StreamingEventProcessor;
import org.axonframework.eventhandling.TrackingToken;
import org.axonframework.eventsourcing.eventstore.EventStore;
import org.ccmledger.platform.problem.Refusal;
import org.springframework.stereotype.Component;

/**
 * Waits until a tracking processor has handled every event stored before the call, for the few operations that
 * must not act on a stale read model (closing a billing month). Blocking: call it off the event loop.
 */
@Component
public class ProcessorCatchUp {

    private final EventStore eventStore;
    private final EventProcessingConfiguration processing;
    private final org.ccmledger.ledger.LedgerLookup lookup;

    ProcessorCatchUp(EventStore eventStore, EventProcessingConfiguration processing,
                     org.ccmledger.ledger.LedgerLookup lookup) {
        this.eventStore = eventStore;
        this.processing = processing;
        this.lookup = lookup;
    }

    /** Returns once {@code processingGroup} is at or past the head at the time of the call; refuses after timeout. */
    public void await(String processingGroup, Duration timeout) {
        TrackingToken head = eventStore.createHeadToken();
        // a tracker never passes a slot that ended as a tombstone: wait for the last slot that holds an event
        long target = head == null ? -1 : lookup.highestEventAtOrBelow(head.position().orElse(-1));
        StreamingEventProcessor processor = processing.eventProcessor(processingGroup, StreamingEventProcessor.class)
                                                      .orElseThrow(() -> new IllegalStateException(
                                                              "no streaming processor " + processingGroup));
        long deadline = System.nanoTime() + timeout.toNanos();
        while (!reached(processor.processingStatus(), processor.maxCapacity(), target)) {
            if (System.nanoTime() > deadline) {
                throw Refusal.conflict("READ_MODEL_BEHIND", "the " + processingGroup
                        + " read model is still catching up with the ledger; try again shortly");
            }
            try {
                Thread.sleep(20);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IllegalStateException("interrupted while waiting for " + processingGroup, e);
            }
        }
    }

    private static boolean reached(Map<Integer, EventTrackerStatus> status, int capacity, long target) {
        if (target < 0) {
            return true;
        }
        if (status.isEmpty()) {
            return false;
        }
        for (EventTrackerStatus segment : status.values()) {
            if (segment.isErrorState()) {
                return false;
            }
            OptionalLong position = segment.getCurrentPosition();
            if (position.isEmpty() || position.getAsLong() < target) {
                return false;
            }
        }
        return true;
    }
}
