package org.ccmledger.platform.axon;

import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

import org.axonframework.config.EventProcessingConfiguration;
import org.axonframework.eventhandling.StreamingEventProcessor;
import org.bson.Document;
import org.ccmledger.ledger.MongoTokenStore;
import org.ccmledger.platform.threads.DaemonThreads;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.context.SmartLifecycle;
import org.springframework.stereotype.Component;

import com.mongodb.client.MongoCollection;
import com.mongodb.client.MongoDatabase;
import com.mongodb.client.model.Filters;
import com.mongodb.client.model.ReplaceOptions;

/**
 * Spreads the segments of every processor that has more than one over the service instances that share the database.
 * Axon's tracking processor claims every segment it has threads for: the instance that starts first would keep them
 * all, and the second would only stand by. So each instance says it is alive (collection {@value #COLLECTION}, one
 * document per node, {@code seenAt} renewed every third of the claim timeout), counts the instances seen within the
 * claim timeout, and when it holds more than its share of a processor's segments ({@code ceil(segments / instances)})
 * it releases the surplus for twice the claim timeout, long enough for another instance to claim them. An instance
 * that dies stops renewing both its claims and its presence: the others take its segments once its claims expire and
 * then count one instance fewer, so nothing is released back to the dead. Off with one segment per processor (the
 * default of most): there is nothing to spread.
 */
@Component
class SegmentSpread implements SmartLifecycle {

    static final String COLLECTION = "nodes";
    private static final Logger log = LoggerFactory.getLogger(SegmentSpread.class);

    private final EventProcessingConfiguration processing;
    private final MongoTokenStore tokens;
    private final MongoCollection<Document> nodes;
    private final Clock clock = Clock.systemUTC();
    private ScheduledExecutorService executor;

    SegmentSpread(EventProcessingConfiguration processing, MongoTokenStore tokens, MongoDatabase database) {
        this.processing = processing;
        this.tokens = tokens;
        this.nodes = database.getCollection(COLLECTION);
    }

    @Override
    public synchronized void start() {
        executor = Executors.newSingleThreadScheduledExecutor(DaemonThreads.named("segment-spread"));
        long period = Math.max(500, tokens.claimTimeout().toMillis() / 3);
        executor.scheduleWithFixedDelay(this::spread, 0, period, TimeUnit.MILLISECONDS);
    }

    void spread() {
        try {
            long now = clock.millis();
            nodes.replaceOne(Filters.eq("_id", tokens.nodeId()), new Document("_id", tokens.nodeId())
                    .append("seenAt", now), new ReplaceOptions().upsert(true));
            long alive = 0;
            for (Document node : nodes.find()) {
                if (node.get("seenAt", Number.class).longValue() >= now - tokens.claimTimeout().toMillis()) {
                    alive++;
                }
            }
            long instances = Math.max(1, alive);
            processing.eventProcessors().forEach((name, processor) -> {
                if (processor instanceof StreamingEventProcessor streaming) {
                    releaseSurplus(name, streaming, instances);
                }
            });
        } catch (RuntimeException e) {
            // the database may be briefly unreachable; the next round tries again. Only the type: a message may quote data
            log.warn("Could not spread processor segments this round ({})", e.getClass().getName());
        }
    }

    private void releaseSurplus(String name, StreamingEventProcessor processor, long instances) {
        int segments = tokens.fetchSegments(name).length;
        if (segments < 2) {
            return;
        }
        long share = (segments + instances - 1) / instances;
        List<Integer> held = processor.processingStatus().keySet().stream().sorted().toList();
        Duration releaseFor = tokens.claimTimeout().multipliedBy(2);
        for (int i = held.size() - 1; i >= share; i--) {
            processor.releaseSegment(held.get(i), releaseFor.toMillis(), TimeUnit.MILLISECONDS);
            log.info("Released segment {} of processor {} for another of {} instances", held.get(i), name, instances);
        }
    }

    @Override
    public synchronized void stop() {
        if (executor != null) {
            executor.shutdownNow();
            executor = null;
            try {
                nodes.deleteOne(Filters.eq("_id", tokens.nodeId()));
            } catch (RuntimeException e) {
                log.debug("Could not remove this node's presence ({})", e.getClass().getName());
            }
        }
    }

    @Override
    public synchronized boolean isRunning() {
        return executor != null;
    }
}
