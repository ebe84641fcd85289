package org.ccmledger.platform.axon;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.time.Instant;
import java.util.concurrent.TimeUnit;

import org.axonframework.commandhandling.CommandBus;
import org.axonframework.commandhandling.GenericCommandMessage;
import org.axonframework.eventhandling.EventBus;
import org.axonframework.eventhandling.EventProcessor;
import org.axonframework.eventhandling.GenericEventMessage;
import org.axonframework.messaging.Message;
import org.axonframework.messaging.MetaData;
import org.axonframework.monitoring.MessageMonitor;
import org.junit.jupiter.api.Test;

import io.micrometer.core.instrument.MockClock;
import io.micrometer.core.instrument.distribution.ValueAtPercentile;
import io.micrometer.core.instrument.simple.SimpleConfig;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;

class AxonMessageMetersTest {

    record EnrollSomeone(String id) {
    }

    record SomeoneEnrolled(String id) {
    }

    private final MockClock clock = new MockClock();
    private final SimpleMeterRegistry registry = new SimpleMeterRegistry(SimpleConfig.DEFAULT, clock);
    private final AxonMessageMeters meters = new AxonMessageMeters(registry);

    @SuppressWarnings("unchecked")
    private <T extends Message<?>> MessageMonitor<T> monitor(Class<?> component, String name) {
        return (MessageMonitor<T>) meters.registerComponentWithDefaultTags(component, name);
    }

    @Test
    void commandsAreCountedAndTimedByPayloadTypeUnderAxonsNames() {
        MessageMonitor<Message<?>> bus = monitor(CommandBus.class, "commandBus");
        for (int i = 0; i < 3; i++) {
            var callback = bus.onMessageIngested(GenericCommandMessage.asCommandMessage(new EnrollSomeone("p" + i)));
            clock.add(Duration.ofMillis(20));
            if (i < 2) {
                callback.reportSuccess();
            } else {
                callback.reportFailure(new IllegalStateException("refused"));
            }
        }
        assertThat(registry.get("commandBus.successCounter").tag("payloadType", "EnrollSomeone").counter().count())
                .isEqualTo(2);
        assertThat(registry.get("commandBus.failureCounter").tag("payloadType", "EnrollSomeone").counter().count())
                .isEqualTo(1);
        var all = registry.get("commandBus.allTimer").tag("payloadType", "EnrollSomeone").timer();
        assertThat(all.count()).isEqualTo(3);
        assertThat(all.totalTime(TimeUnit.MILLISECONDS)).isEqualTo(60);
        // the client-side quantiles the dashboard's p99 reads
        assertThat(all.takeSnapshot().percentileValues()).extracting(ValueAtPercentile::percentile)
                                                         .contains(0.99);
    }

    @Test
    void eachMeterIsRegisteredOnceNotPerMessage() {
        MessageMonitor<Message<?>> bus = monitor(CommandBus.class, "commandBus");
        MessageMonitor<Message<?>> processor = monitor(EventProcessor.class, "billing");
        bus.onMessageIngested(GenericCommandMessage.asCommandMessage(new EnrollSomeone("p"))).reportSuccess();
        processor.onMessageIngested(GenericEventMessage.asEventMessage(new SomeoneEnrolled("p"))).reportSuccess();
        int registered = registry.getMeters().size();
        for (int i = 0; i < 500; i++) {
            bus.onMessageIngested(GenericCommandMessage.asCommandMessage(new EnrollSomeone("p" + i))).reportSuccess();
            processor.onMessageIngested(GenericEventMessage.asEventMessage(new SomeoneEnrolled("p" + i)))
                     .reportIgnored();
        }
        assertThat(registry.getMeters()).hasSize(registered);
        assertThat(registry.get("eventProcessor.ignoredCounter").tag("processorName", "billing").counter().count())
                .isEqualTo(500);
        assertThat(registry.get("eventProcessor.processedCounter").tag("processorName", "billing").counter().count())
                .isEqualTo(501);
    }

    @Test
    void processorsReportLatencyAndCapacityByProcessorNameOnly() {
        MessageMonitor<Message<?>> processor = monitor(EventProcessor.class, "audit-index");
        Instant written = Instant.ofEpochMilli(clock.wallTime());
        clock.add(Duration.ofSeconds(4));
        var event = new GenericEventMessage<>(new org.axonframework.messaging.GenericMessage<>(
                new SomeoneEnrolled("p"), MetaData.emptyInstance()), () -> written);
        var callback = processor.onMessageIngested(event);
        clock.add(Duration.ofSeconds(30));
        callback.reportSuccess();
        clock.add(Duration.ofSeconds(30));
        assertThat(registry.get("eventProcessor.latency").tag("processorName", "audit-index").gauge().value())
                .isEqualTo(4000);
        // busy 30 s of the 64 s since the monitor started
        assertThat(registry.get("eventProcessor.capacity").tag("processorName", "audit-index").gauge().value())
                .isCloseTo(30.0 / 64, org.assertj.core.data.Offset.offset(0.001));
        assertThat(registry.get("eventProcessor.successCounter").meters()).hasSize(1);
        assertThat(registry.get("eventProcessor.successCounter").meter().getId().getTags()).hasSize(1);
    }

    @Test
    void processorLatencyIsTakenAtMostEveryTenthOfASecond() {
        MessageMonitor<Message<?>> processor = monitor(EventProcessor.class, "billing");
        Instant first = Instant.ofEpochMilli(clock.wallTime());
        clock.add(Duration.ofSeconds(2));
        processor.onMessageIngested(eventAt(first)).reportSuccess();
        // 50 ms later an event written just now: not taken yet
        clock.add(Duration.ofMillis(50));
        processor.onMessageIngested(eventAt(Instant.ofEpochMilli(clock.wallTime()))).reportSuccess();
        assertThat(latency("billing")).isEqualTo(2000);
        // 100 ms after the first: taken
        clock.add(Duration.ofMillis(50));
        processor.onMessageIngested(eventAt(Instant.ofEpochMilli(clock.wallTime() - 300))).reportSuccess();
        assertThat(latency("billing")).isEqualTo(300);
    }

    private static GenericEventMessage<SomeoneEnrolled> eventAt(Instant written) {
        return new GenericEventMessage<>(new org.axonframework.messaging.GenericMessage<>(
                new SomeoneEnrolled("p"), MetaData.emptyInstance()), () -> written);
    }

    private double latency(String processor) {
        return registry.get("eventProcessor.latency").tag("processorName", processor).gauge().value();
    }

    @Test
    void busyTimeOlderThanTenMinutesLeavesTheWindow() {
        var busy = new AxonMessageMeters.BusyWindow(clock);
        busy.add(TimeUnit.SECONDS.toNanos(60));
        clock.add(Duration.ofMinutes(5));
        assertThat(busy.fraction()).isCloseTo(60.0 / 300, org.assertj.core.data.Offset.offset(0.001));
        clock.add(Duration.ofMinutes(11));
        busy.add(TimeUnit.SECONDS.toNanos(30));
        assertThat(busy.fraction()).isCloseTo(30.0 / 600, org.assertj.core.data.Offset.offset(0.001));
    }

    @Test
    void publishedEventsAreTimedByTypeAndCountedWithoutTags() {
        MessageMonitor<Message<?>> store = monitor(EventBus.class, "eventStore");
        store.onMessageIngested(GenericEventMessage.asEventMessage(new SomeoneEnrolled("p"))).reportSuccess();
        store.onMessageIngested(GenericEventMessage.asEventMessage(new SomeoneEnrolled("q")))
             .reportFailure(new IllegalStateException("no"));
        assertThat(registry.get("eventStore.allTimer").tag("payloadType", "SomeoneEnrolled").timer().count())
                .isEqualTo(2);
        assertThat(registry.get("eventStore.failureCounter").counter().getId().getTags()).isEmpty();
        assertThat(registry.get("eventStore.failureCounter").counter().count()).isEqualTo(1);
    }
}
