package org.ccmledger.platform.axon;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Function;

import org.axonframework.eventhandling.GenericDomainEventMessage;
import org.axonframework.eventsourcing.eventstore.EventStorageEngine;
import org.ccmledger.ledger.LedgerFixture;
import org.ccmledger.ledger.LedgerLookup;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

/** Reference streams (fee schedules, profiles, code sets) as read from the ledger, and what is derived from them. */
class ReferenceStreamsTest {

    private final LedgerFixture ledger = LedgerFixture.inMemory();
    private final EventStorageEngine engine = ledger.engine();
    private final AtomicLong now = new AtomicLong();
    private final ReferenceStreams streams = new ReferenceStreams(new LedgerLookup(ledger.collections()),
                                                                  new StoredEventPayloads(LedgerFixture.SERIALIZER),
                                                                  now::get);
    private final AtomicInteger derivations = new AtomicInteger();
    private final Function<List<ReferenceStreams.Recorded>, List<Object>> payloads = events -> {
        derivations.incrementAndGet();
        return events.stream().map(ReferenceStreams.Recorded::payload).toList();
    };

    @AfterEach
    void close() {
        ledger.close();
    }

    private void append(long sequence, String payload) {
        engine.appendEvents(List.of(new GenericDomainEventMessage<>("Reference", "ref-1", sequence, payload)));
    }

    @Test
    @DisplayName("what is derived from a stream is made once per read of it, afresh once it is read again")
    void derivedOncePerRead() {
        append(0, "first");

        List<Object> once = streams.derived("ref-1", "payloads", payloads);
        List<Object> again = streams.derived("ref-1", "payloads", payloads);
        streams.derived("ref-1", "other", events -> events.size());

        assertThat(once).containsExactly("first");
        assertThat(again).isSameAs(once);
        assertThat(derivations).as("made once for this read of the stream").hasValue(1);

        append(1, "second");
        assertThat(streams.derived("ref-1", "payloads", payloads)).as("kept for up to a second").containsExactly(
                "first");
        now.addAndGet(TimeUnit.MILLISECONDS.toNanos(1_001));
        assertThat(streams.derived("ref-1", "payloads", payloads)).as("a second on, read and made again")
                                                                  .containsExactly("first", "second");
        assertThat(derivations).hasValue(2);
    }

    @Test
    @DisplayName("a read that began before this instance appended to the stream and forgot it is not kept: the append "
                 + "is seen at once")
    void aReadUnderWayWhenTheStreamIsForgottenIsNotKept() {
        append(0, "first");
        AtomicReference<ReferenceStreams> racing = new AtomicReference<>();
        AtomicBoolean appended = new AtomicBoolean();
        racing.set(new ReferenceStreams(new LedgerLookup(ledger.collections()),
                                        new StoredEventPayloads(LedgerFixture.SERIALIZER) {
            @Override
            public Object payload(org.ccmledger.ledger.StoredEvent event) {
                if (appended.compareAndSet(false, true)) {
                    // another request appends to the stream, then forgets it, while this read turns what it found
                    // into payloads
                    append(1, "second");
                    racing.get().forget("ref-1");
                }
                return super.payload(event);
            }
        }, now::get));

        assertThat(racing.get().payloads("ref-1")).as("what the read under way found").containsExactly("first");
        assertThat(racing.get().payloads("ref-1")).as("not kept: the next read finds the append, though no time passed")
                                                  .containsExactly("first", "second");
    }

    @Test
    @DisplayName("a stream this instance appended to is read and derived from afresh at once")
    void forgottenStreamsAreDerivedAfresh() {
        append(0, "first");
        assertThat(streams.derived("ref-1", "payloads", payloads)).containsExactly("first");

        append(1, "second");
        streams.forget("ref-1");

        assertThat(streams.derived("ref-1", "payloads", payloads)).containsExactly("first", "second");
        assertThat(streams.payloads("ref-1")).containsExactly("first", "second");
    }
}
