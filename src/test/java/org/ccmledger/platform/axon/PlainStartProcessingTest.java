package org.ccmledger.platform.axon;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Function;

import org.axonframework.config.Configuration;
import org.axonframework.config.DefaultConfigurer;
import org.axonframework.config.EventProcessingModule;
import org.axonframework.config.ProcessingGroup;
import org.axonframework.eventhandling.EventHandler;
import org.axonframework.eventhandling.GenericEventMessage;
import org.axonframework.eventhandling.ReplayStatus;
import org.axonframework.eventhandling.TrackingEventProcessor;
import org.axonframework.eventhandling.TrackingEventProcessorConfiguration;
import org.axonframework.eventhandling.tokenstore.inmemory.InMemoryTokenStore;
import org.axonframework.eventsourcing.eventstore.EmbeddedEventStore;
import org.axonframework.eventsourcing.eventstore.inmemory.InMemoryEventStorageEngine;
import org.axonframework.messaging.StreamableMessageSource;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * A tracking processor started on a ledger that already holds events reads them as it reads new ones, not in Axon's
 * replay state, and a processor configured to start elsewhere still starts there.
 */
class PlainStartProcessingTest {

    /** What a handler is told about each event it handles, in order. */
    @ProcessingGroup("probe")
    static final class Probe {
        final List<String> seen = new CopyOnWriteArrayList<>();

        @EventHandler
        void on(String payload, ReplayStatus status) {
            seen.add(payload + ":" + status);
        }
    }

    private final EmbeddedEventStore events = EmbeddedEventStore.builder()
                                                                .storageEngine(new InMemoryEventStorageEngine())
                                                                .build();
    private Configuration configuration;

    @AfterEach
    void tearDown() {
        if (configuration != null) {
            configuration.shutdown();
        }
        events.shutDown();
    }

    /**
     * Two events in the ledger, then the processor started with {@code module} and {@code processorConfiguration}
     * (Axon's default when {@code null}), then one more event.
     */
    private Probe run(EventProcessingModule module,
                      Function<Configuration, TrackingEventProcessorConfiguration> processorConfiguration,
                      int expected) {
        events.publish(GenericEventMessage.asEventMessage("first"), GenericEventMessage.asEventMessage("second"));
        Probe probe = new Probe();
        var configurer = DefaultConfigurer.defaultConfiguration(false).configureEventStore(c -> events)
                                          .registerModule(module);
        var processing = configurer.eventProcessing();
        if (processorConfiguration == null) {
            // Axon's default configuration, as the processors not named in application.yml have it
            processing.registerTrackingEventProcessor("probe", c -> events);
        } else {
            processing.registerTrackingEventProcessor("probe", c -> events, processorConfiguration);
        }
        processing.registerEventHandler(c -> probe)
                  .registerTokenStore("probe", c -> new InMemoryTokenStore());
        configuration = configurer.start();
        var processor = configuration.eventProcessingConfiguration()
                                     .eventProcessor("probe", TrackingEventProcessor.class).orElseThrow();
        // its segment claimed and its first token made before the third event
        await().atMost(Duration.ofSeconds(30)).until(() -> !processor.processingStatus().isEmpty());
        await().atMost(Duration.ofSeconds(30)).until(() -> probe.seen.size() >= expected - 1);
        events.publish(GenericEventMessage.asEventMessage("third"));
        await().atMost(Duration.ofSeconds(30)).until(() -> probe.seen.size() >= expected);
        return probe;
    }

    /** Configured as application.yml configures processors, or with Axon's default configuration. */
    @ParameterizedTest(name = "configured in application.yml: {0}")
    @ValueSource(booleans = {true, false})
    void aProcessorStartingOnEarlierEventsHandlesThemAsLiveOnes(boolean configured) {
        Function<Configuration, TrackingEventProcessorConfiguration> tracking =
                configured ? c -> TrackingEventProcessorConfiguration.forSingleThreadedProcessing() : null;
        Probe probe = run(new PlainStartProcessing(), tracking, 3);

        assertThat(probe.seen).containsExactly("first:REGULAR", "second:REGULAR", "third:REGULAR");
    }

    /** What the module changes: Axon's own starts a new processor in replay up to the head it found. */
    @Test
    void axonsOwnModuleWouldHaveStartedItInReplay() {
        Probe probe = run(new EventProcessingModule(),
                          c -> TrackingEventProcessorConfiguration.forSingleThreadedProcessing(), 3);

        assertThat(probe.seen).containsExactly("first:REPLAY", "second:REPLAY", "third:REGULAR");
    }

    @Test
    void aProcessorConfiguredToStartAtTheHeadStillStartsThere() {
        Probe probe = run(new PlainStartProcessing(),
                          c -> TrackingEventProcessorConfiguration.forSingleThreadedProcessing()
                                                                  .andInitialTrackingToken(
                                                                          StreamableMessageSource::createHeadToken),
                          1);

        assertThat(probe.seen).containsExactly("third:REGULAR");
    }

    @Test
    void aSharedConfigurationIsUnwrappedOnce() {
        TrackingEventProcessorConfiguration shared = TrackingEventProcessorConfiguration.forSingleThreadedProcessing();
        var once = PlainStartProcessing.withoutReplayWrapper(shared).getInitialTrackingToken();

        assertThat(PlainStartProcessing.withoutReplayWrapper(shared).getInitialTrackingToken()).isSameAs(once);
    }
}
