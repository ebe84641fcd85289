package org.ccmledger.platform.axon;

import java.time.Duration;

import org.axonframework.config.EventProcessingConfiguration;
import org.axonframework.eventsourcing.EventCountSnapshotTriggerDefinition;
import org.axonframework.eventsourcing.SnapshotTriggerDefinition;
import org.axonframework.eventsourcing.Snapshotter;
import org.axonframework.eventsourcing.eventstore.EventStorageEngine;
import org.axonframework.messaging.correlation.CorrelationDataProvider;
import org.axonframework.serialization.Serializer;
import org.ccmledger.ledger.LedgerCollections;
import org.ccmledger.ledger.MongoEventStorageEngine;
import org.ccmledger.ledger.MongoTokenStore;
import org.ccmledger.platform.mongo.MongoProperties;
import org.springframework.beans.factory.annotation.Qualifier;
import org.springframework.boot.context.event.ApplicationReadyEvent;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.context.event.EventListener;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.mongodb.client.MongoClient;
import com.mongodb.client.MongoDatabase;

import io.micrometer.core.instrument.MeterRegistry;

/**
 * Wires Axon to the ledger: our MongoDB event storage engine and token store, Jackson 2 for every Axon serializer,
 * snapshots, and the metadata every event carries (the acting user and the request's correlation id).
 */
@Configuration(proxyBeanMethods = false)
class AxonLedgerConfiguration {

    private static final org.slf4j.Logger log = org.slf4j.LoggerFactory.getLogger(AxonLedgerConfiguration.class);


    /**
     * The Jackson 2 mapper Axon's {@code JacksonSerializer} uses for messages, snapshots and tokens (Spring Boot 4
     * itself only brings Jackson 3): {@link LedgerJson#mapper()}.
     */
    @Bean("defaultAxonObjectMapper")
    ObjectMapper defaultAxonObjectMapper() {
        return LedgerJson.mapper();
    }

    /**
     * The event serializer: Jackson over {@link LedgerJson#events()}, which reads payloads with Jackson's byte parser,
     * writing payload type names that stay stable when a class moves ({@link StableTypeNames}).
     */
    @Bean
    @Qualifier("eventSerializer")
    Serializer eventSerializer(org.axonframework.serialization.RevisionResolver revisions) {
        return StableTypeNames.serializer(LedgerJson.events(), revisions);
    }

    @Bean
    LedgerCollections ledgerCollections(MongoDatabase database) {
        return new LedgerCollections(database);
    }

    /** Lookups by key for billing, audit and exports; every event verified, failures reported like the engine's. */
    @Bean
    org.ccmledger.ledger.LedgerLookup ledgerLookup(LedgerCollections collections, MicrometerLedgerMetrics metrics) {
        return new org.ccmledger.ledger.LedgerLookup(collections, metrics);
    }

    /**
     * Axon's message metrics, its names and tags, with meters registered once (Axon's auto-configuration takes this
     * registry for its monitors: {@link AxonMessageMeters}).
     */
    @Bean
    static AxonMessageMeters axonMessageMeters(MeterRegistry registry) {
        return new AxonMessageMeters(registry);
    }

    @Bean
    MicrometerLedgerMetrics ledgerMetrics(MeterRegistry registry, LedgerCollections collections) {
        return new MicrometerLedgerMetrics(registry, collections);
    }

    @Bean
    EventStorageEngine eventStorageEngine(LedgerCollections collections, MongoClient client,
                                          MongoProperties mongo, LedgerProperties ledger,
                                          @Qualifier("eventSerializer") Serializer eventSerializer,
                                          Serializer snapshotSerializer, MicrometerLedgerMetrics metrics,
                                          org.axonframework.config.Configuration axon) {
        return MongoEventStorageEngine.builder()
                                      .collections(collections)
                                      .eventSerializer(eventSerializer)
                                      .snapshotSerializer(snapshotSerializer)
                                      // the aggregates' snapshot filters: a snapshot of another @Revision is not
                                      // loaded, the aggregate rebuilds from its events
                                      .snapshotFilter(axon.snapshotFilter())
                                      .batchSize(ledger.batchSize())
                                      .readAhead(ledger.readAhead())
                                      .gapTimeout(ledger.gapTimeout())
                                      .commitDeadline(ledger.commitDeadline())
                                      .transactionClient(useTransactions(client, mongo, ledger) ? client : null)
                                      .metrics(metrics)
                                      .build();
    }

    /**
     * {@code auto}: ask the server ({@code hello}, which waits for a connection, unlike the driver's cluster
     * description) whether it is a replica set member or a mongos, where multi-document transactions exist. A server
     * that does not know the command as such (the standalone embedded server) has none.
     */
    private static boolean useTransactions(MongoClient client, MongoProperties mongo, LedgerProperties ledger) {
        boolean use = switch (ledger.transactions()) {
            case "on" -> true;
            case "off" -> false;
            default -> {
                if (mongo.useEmbedded()) {
                    yield false;
                }
                org.bson.Document hello;
                try {
                    hello = client.getDatabase("admin").runCommand(new org.bson.Document("hello", 1));
                } catch (com.mongodb.MongoCommandException e) {
                    if (e.getErrorCode() != 59) {
                        throw e;
                    }
                    // CommandNotFound: a server older than hello, or the embedded server run alone (embedded-mongo),
                    // which answers hello only as a connection's handshake; neither has transactions
                    yield false;
                }
                yield hello.containsKey("setName") || "isdbgrid".equals(hello.getString("msg"));
            }
        };
        log.info("Event store commits {} multi-document transactions", use ? "in" : "without");
        return use;
    }

    /**
     * How long a processor segment's token, moved past events none of its handlers take, may stay unwritten: as long as
     * the embedded store lets a write that does not wait for its commit stay uncommitted (docs/ledger.md, "The token
     * store").
     */
    static final Duration TOKEN_ADVANCE_DEFERRAL = Duration.ofMillis(200);

    @Bean
    MongoTokenStore tokenStore(MongoDatabase database, Serializer serializer, LedgerProperties ledger) {
        return MongoTokenStore.builder()
                              .database(database)
                              .serializer(serializer)
                              .claimTimeout(ledger.claimTimeout())
                              // a segment's advance past events it does not handle is written at most every 200 ms
                              .deferAdvances(TOKEN_ADVANCE_DEFERRAL)
                              .build();
    }

    /**
     * Patients' enrolment aggregates kept between commands, each used only while its stream is where it was left
     * ({@code @Aggregate(cache = "enrollmentCache")}); Axon's {@link org.axonframework.common.caching.NoCache} when
     * the size is 0. Its hits, stale drops and misses are {@code ccm.ledger.aggregate.cache} counters.
     */
    @Bean
    org.axonframework.common.caching.Cache enrollmentCache(EventStorageEngine engine, LedgerProperties ledger,
                                                           MeterRegistry registry) {
        if (ledger.aggregateCacheSize() <= 0 || !(engine instanceof MongoEventStorageEngine ours)) {
            return org.axonframework.common.caching.NoCache.INSTANCE;
        }
        var cache = ours.aggregateCache(ledger.aggregateCacheSize());
        String name = "ccm.ledger.aggregate.cache";
        io.micrometer.core.instrument.FunctionCounter.builder(name, cache, c -> c.hits()).tag("result", "hit")
                .description("Aggregate loads answered from memory, their stream's head unmoved").register(registry);
        io.micrometer.core.instrument.FunctionCounter.builder(name, cache, c -> c.stale()).tag("result", "stale")
                .description("Aggregates in memory dropped: their stream had moved on").register(registry);
        io.micrometer.core.instrument.FunctionCounter.builder(name, cache, c -> c.misses()).tag("result", "miss")
                .description("Aggregate loads not in memory").register(registry);
        return cache;
    }

    @Bean
    SnapshotTriggerDefinition snapshotTrigger(Snapshotter snapshotter, LedgerProperties ledger) {
        return new EventCountSnapshotTriggerDefinition(snapshotter, ledger.snapshotThreshold());
    }

    /**
     * A projection that fails on an event does not skip it (Axon's default logs and moves on): the error propagates,
     * the processor releases its segment and retries from its last token.
     */
    @Bean
    org.axonframework.config.ConfigurerModule propagateHandlerErrors() {
        return configurer -> configurer.eventProcessing(processing -> processing
                .registerDefaultListenerInvocationErrorHandler(
                        c -> org.axonframework.eventhandling.PropagatingErrorHandler.instance()));
    }

    /** Axon's event processing, its tracking processors starting without the replay wrapper (PlainStartProcessing). */
    @Bean
    PlainStartProcessing plainStartProcessing() {
        return new PlainStartProcessing();
    }

    /** Every processor writes its read-model batches when the batch's last message has passed (ReadModelBatches). */
    @Bean
    org.axonframework.config.ConfigurerModule flushReadModelBatches() {
        return configurer -> configurer.eventProcessing(processing -> processing
                .registerDefaultHandlerInterceptor((c, name) -> ReadModelBatches.flushAtBatchEnd()));
    }

    @Bean
    CorrelationDataProvider actorAndRequestCorrelation() {
        return new CommandProvenance();
    }

    @EventListener(ApplicationReadyEvent.class)
    void registerProcessorGauges(ApplicationReadyEvent ready) {
        MicrometerLedgerMetrics metrics = ready.getApplicationContext().getBean(MicrometerLedgerMetrics.class);
        MongoTokenStore tokenStore = ready.getApplicationContext().getBean(MongoTokenStore.class);
        EventProcessingConfiguration processing =
                ready.getApplicationContext().getBean(EventProcessingConfiguration.class);
        processing.eventProcessors().keySet().forEach(name -> metrics.trackProcessor(name, tokenStore));
    }
}
