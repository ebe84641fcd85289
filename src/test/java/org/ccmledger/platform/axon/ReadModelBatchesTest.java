package org.ccmledger.platform.axon;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;

import org.axonframework.eventhandling.EventMessage;
import org.axonframework.eventhandling.GenericEventMessage;
import org.axonframework.messaging.unitofwork.BatchingUnitOfWork;
import org.axonframework.messaging.unitofwork.RollbackConfigurationType;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

/**
 * A batched read model writes once per batch, while the batch's last event is handled: before the tracking processor
 * stores the batch's token (which it does in a prepare-commit handler registered ahead of every handler), and never
 * for a batch that fails.
 */
class ReadModelBatchesTest {

    /** A read model's batch that records what it wrote and when. */
    private static final class Writes implements ReadModelBatches.Batch {
        private final List<String> log;
        private int pending;

        Writes(List<String> log) {
            this.log = log;
        }

        @Override
        public void flush() {
            if (pending > 0) {
                log.add("write " + pending + " events");
                pending = 0;
            }
        }
    }

    private static List<EventMessage<?>> events(int count) {
        List<EventMessage<?>> events = new ArrayList<>();
        for (int i = 0; i < count; i++) {
            events.add(GenericEventMessage.asEventMessage("event-" + i));
        }
        return events;
    }

    @Test
    @DisplayName("three events, one write, before the token")
    void oneWritePerBatchBeforeTheToken() throws Exception {
        List<String> log = new ArrayList<>();
        BatchingUnitOfWork<EventMessage<?>> batch = new BatchingUnitOfWork<>(events(3));
        // what the tracking processor does on the batch's first event, before any handler
        batch.onPrepareCommit(u -> log.add("store token"));
        batch.executeWithResult(() -> {
            Writes writes = ReadModelBatches.current("test", () -> new Writes(log));
            writes.pending++;
            ReadModelBatches.handled(writes);
            return null;
        });
        assertThat(log).containsExactly("write 3 events", "store token");
    }

    @Test
    @DisplayName("a batch that fails writes nothing: its events come again")
    void aFailedBatchWritesNothing() {
        List<String> log = new ArrayList<>();
        BatchingUnitOfWork<EventMessage<?>> batch = new BatchingUnitOfWork<>(events(3));
        batch.onPrepareCommit(u -> log.add("store token"));
        int[] handled = {0};
        var result = batch.executeWithResult(() -> {
            Writes writes = ReadModelBatches.current("test", () -> new Writes(log));
            writes.pending++;
            if (++handled[0] == 2) {
                throw new IllegalStateException("the second event fails");
            }
            ReadModelBatches.handled(writes);
            return null;
        }, RollbackConfigurationType.ANY_THROWABLE);
        assertThat(result.isExceptional()).isTrue();
        assertThat(result.exceptionResult()).hasMessageContaining("second event fails");
        assertThat(batch.isRolledBack()).isTrue();
        assertThat(log).isEmpty();
    }

    @Test
    @DisplayName("outside a batch each event is written at once")
    void outsideABatch() {
        List<String> log = new ArrayList<>();
        for (int i = 0; i < 2; i++) {
            Writes writes = ReadModelBatches.current("test", () -> new Writes(log));
            writes.pending++;
            ReadModelBatches.handled(writes);
        }
        assertThat(log).containsExactly("write 1 events", "write 1 events");
    }
}
