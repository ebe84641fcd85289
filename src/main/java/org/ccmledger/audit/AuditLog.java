package org.ccmledger.audit;

import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.NoSuchElementException;
import java.util.TreeSet;

import org.bson.Document;
import org.ccmledger.platform.axon.Provenance;
import org.ccmledger.ledger.LedgerCollections;
import org.ccmledger.ledger.LedgerLookup;
import org.ccmledger.ledger.StoredEvent;
import org.ccmledger.platform.axon.StoredEventPayloads;
import org.springframework.stereotype.Component;

import com.mongodb.client.MongoCollection;
import com.mongodb.client.MongoDatabase;
import com.mongodb.client.model.Filters;

/**
 * Answers event-log queries from the audit index and the events collection, lazily: the result is an iterator that
 * reads a group of buckets, then their events by global index in chunks, so a whole-practice export streams in
 * constant memory. Blocking.
 */
@Component
class AuditLog {

    private static final int BUCKETS_PER_READ = 32;
    private static final int EVENTS_PER_READ = 256;
    /** Payload fields that say when the recorded thing happened, in order of preference. */
    private static final List<String> PERFORMED = List.of("startedAt", "obtainedAt", "revokedAt", "revisedAt",
                                                          "effectiveAt", "visitDate", "admittedOn", "dateOfDeath",
                                                          "accessedAt");

    private final MongoCollection<Document> postings;
    private final LedgerCollections ledger;
    private final LedgerLookup lookup;
    private final StoredEventPayloads payloads;
    private final java.util.function.LongSupplier indexedUpTo;

    /** Without a processor to ask: everything the index holds counts as indexed (tests on a bare store). */
    AuditLog(MongoDatabase database, LedgerCollections ledger, LedgerLookup lookup, StoredEventPayloads payloads) {
        this(database, ledger, lookup, payloads, () -> Long.MAX_VALUE);
    }

    @org.springframework.beans.factory.annotation.Autowired
    AuditLog(MongoDatabase database, LedgerCollections ledger, LedgerLookup lookup, StoredEventPayloads payloads,
             org.axonframework.config.EventProcessingConfiguration processing) {
        this(database, ledger, lookup, payloads, () -> stableIndex(processing));
    }

    private AuditLog(MongoDatabase database, LedgerCollections ledger, LedgerLookup lookup,
                     StoredEventPayloads payloads, java.util.function.LongSupplier indexedUpTo) {
        this.postings = database.getCollection("rm_audit_postings");
        this.ledger = ledger;
        this.lookup = lookup;
        this.payloads = payloads;
        this.indexedUpTo = indexedUpTo;
    }

    /**
     * The highest global index below which the index is complete: the audit-index processor's position, or just below
     * its first open gap (an event committed late, which the processor will still deliver). A query never returns an
     * event above it, so a cursor never skips an event that lands later; -1 while the processor has not started.
     */
    static long stableIndex(org.axonframework.config.EventProcessingConfiguration processing) {
        long stable = Long.MAX_VALUE;
        var processor = processing.eventProcessor(AuditIndexProjection.PROCESSING_GROUP,
                                                  org.axonframework.eventhandling.StreamingEventProcessor.class);
        if (processor.isEmpty() || processor.get().processingStatus().isEmpty()) {
            return -1;
        }
        for (var status : processor.get().processingStatus().values()) {
            var token = status.getTrackingToken();
            long upTo = -1;
            if (token instanceof org.axonframework.eventhandling.GapAwareTrackingToken gapAware) {
                upTo = gapAware.getGaps().isEmpty() ? gapAware.getIndex() : gapAware.getGaps().first() - 1;
            } else if (token != null && token.position().isPresent()) {
                upTo = token.position().getAsLong();
            }
            stable = Math.min(stable, upTo);
        }
        return stable;
    }

    /**
     * A page: up to {@code limit} events, the cursor of the next page ({@code null} when nothing more is indexed), and
     * how far the index was complete when the page was read: events recorded after that come on a later read.
     */
    record Page(List<AuditEvent> events, Long nextCursor, long indexedUpTo) {
    }

    Page page(EventQuery query) {
        Events events = new Events(query, query.patientId() == null ? AuditIndexProjection.ALL : query.patientId());
        List<AuditEvent> page = new ArrayList<>();
        while (page.size() < query.limit() && events.hasNext()) {
            page.add(events.next());
        }
        Long next = events.hasNext() && !page.isEmpty() ? page.get(page.size() - 1).globalIndex() : null;
        return new Page(page, next, events.upTo());
    }

    /** {@link #events} as a stream read off the event loop as its subscriber consumes it (NDJSON exports). */
    reactor.core.publisher.Flux<AuditEvent> stream(EventQuery query) {
        return reactor.core.publisher.Flux.<AuditEvent, Iterator<AuditEvent>>generate(() -> events(query),
                (events, sink) -> {
                    if (events.hasNext()) {
                        sink.next(events.next());
                    } else {
                        sink.complete();
                    }
                    return events;
                }).subscribeOn(reactor.core.scheduler.Schedulers.boundedElastic());
    }

    /** Every matching event after the cursor, in global-index order, read as it is consumed. */
    Iterator<AuditEvent> events(EventQuery query) {
        return new Events(query, query.patientId() == null ? AuditIndexProjection.ALL : query.patientId());
    }

    /** The practice's emergency (break-glass) reads after the cursor, in global-index order, read as consumed. */
    Events breakGlassReads(String practiceId, long after) {
        return new Events(new EventQuery(practiceId, null, "PatientDataAccessed", null, null, null, null, null, after,
                                         EventQuery.MAX_LIMIT), AuditIndexProjection.BREAK_GLASS);
    }

    /**
     * The lazy result: it holds at most one read's worth of global indexes ({@value AuditLog#BUCKETS_PER_READ}
     * buckets) and one chunk of events ({@value AuditLog#EVENTS_PER_READ}), whatever the size of the whole result.
     */
    final class Events implements Iterator<AuditEvent> {

        /** The most global indexes and events an iterator holds at any time. */
        static final int MAX_BUFFERED = BUCKETS_PER_READ * AuditIndexProjection.BUCKET + EVENTS_PER_READ;

        private final EventQuery query;
        private final String owner;
        private final long lastBucket;
        private final long upTo;
        private long nextBucket;
        private final Deque<Long> indexes = new ArrayDeque<>();
        private final Deque<AuditEvent> ready = new ArrayDeque<>();

        private Events(EventQuery query, String owner) {
            this.query = query;
            this.owner = owner;
            this.upTo = Math.min(indexedUpTo.getAsLong(), ledger.highestReserved());
            this.lastBucket = Math.max(0, upTo) / AuditIndexProjection.BUCKET;
            this.nextBucket = query.after() / AuditIndexProjection.BUCKET;
        }

        /** The global index up to which this result is complete. */
        long upTo() {
            return upTo;
        }

        @Override
        public boolean hasNext() {
            while (ready.isEmpty()) {
                if (indexes.isEmpty() && !readBuckets()) {
                    return false;
                }
                readEvents();
            }
            return true;
        }

        @Override
        public AuditEvent next() {
            if (!hasNext()) {
                throw new NoSuchElementException();
            }
            return ready.poll();
        }

        /** Global indexes and events read but not yet handed out. */
        int buffered() {
            return indexes.size() + ready.size();
        }

        private boolean readBuckets() {
            while (indexes.isEmpty() && nextBucket <= lastBucket) {
                List<String> keys = new ArrayList<>();
                for (long b = nextBucket; b < nextBucket + BUCKETS_PER_READ && b <= lastBucket; b++) {
                    keys.add(AuditIndexProjection.key(query.practiceId(), owner, b));
                }
                nextBucket += BUCKETS_PER_READ;
                TreeSet<Long> found = new TreeSet<>();
                for (Document d : postings.find(Filters.in("_id", keys))) {
                    for (Object i : d.getList("idx", Object.class)) {
                        long index = ((Number) i).longValue();
                        if (index > query.after() && index <= upTo) {
                            found.add(index);
                        }
                    }
                }
                indexes.addAll(found);
            }
            return !indexes.isEmpty();
        }

        private void readEvents() {
            List<Long> chunk = new ArrayList<>();
            while (chunk.size() < EVENTS_PER_READ && !indexes.isEmpty()) {
                chunk.add(indexes.poll());
            }
            Map<Long, StoredEvent> found = lookup.atIndexes(chunk);
            for (Long index : new TreeSet<>(chunk)) {
                StoredEvent stored = found.get(index);
                if (stored == null) {
                    continue;
                }
                AuditEvent event = view(stored);
                if (query.matches(event)) {
                    ready.add(event);
                }
            }
        }
    }

    AuditEvent view(StoredEvent e) {
        Map<String, Object> payload = payloads.tree(e.payload());
        Map<String, Object> meta = payloads.tree(e.metaData());
        String type = e.payloadType().substring(e.payloadType().lastIndexOf('.') + 1);
        return new AuditEvent(e.globalIndex(), e.aggregateIdentifier(), e.sequenceNumber(), type, e.payloadType(),
                              e.payloadRevision(), e.eventIdentifier(), e.recordedAt(), performedAt(payload),
                              text(meta.get("actor")), text(meta.get("requestId")), payload, e.previousHash(),
                              e.hash(), imported(meta));
    }

    private static AuditEvent.Imported imported(Map<String, Object> meta) {
        Object line = meta.get(Provenance.IMPORT_LINE);
        if (line == null) {
            return null;
        }
        return new AuditEvent.Imported(text(meta.get(Provenance.IMPORT_ID)), line.toString(),
                                       Provenance.originallyRecordedAt(meta));
    }

    private static String text(Object value) {
        return value == null ? null : value.toString();
    }

    /** The first time-like field of the payload: an instant, or a date taken at its start in UTC. */
    static Instant performedAt(Map<String, Object> payload) {
        for (String field : PERFORMED) {
            Object value = payload.get(field);
            if (value instanceof String text) {
                try {
                    return text.length() == 10 ? LocalDate.parse(text).atStartOfDay().toInstant(ZoneOffset.UTC)
                            : Instant.parse(text);
                } catch (java.time.format.DateTimeParseException e) {
                    // not a time after all: try the next field
                }
            }
        }
        return null;
    }
}
