package org.ccmledger.platform.axon;

import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;

import org.ccmledger.ledger.LedgerLookup;
import org.springframework.stereotype.Component;

/**
 * The payloads of a reference stream (fee schedules, code sets: a few events each, read on every evaluation) straight
 * from the ledger, verified on read like every other read, and kept for at most a second: an edition or version loaded
 * by this instance is seen at once ({@link #forget}), one loaded by another instance within a second.
 */
@Component
public class ReferenceStreams {

    private static final long MAX_AGE_NANOS = TimeUnit.SECONDS.toNanos(1);

    private final LedgerLookup lookup;
    private final StoredEventPayloads payloads;
    private final Map<String, Read> cache = new ConcurrentHashMap<>();

    ReferenceStreams(LedgerLookup lookup, StoredEventPayloads payloads) {
        this.lookup = lookup;
        this.payloads = payloads;
    }

    private record Read(long atNanos, List<Recorded> events) {
    }

    /** An event's payload and when the ledger recorded it. */
    public record Recorded(Object payload, java.time.Instant recordedAt) {
    }

    /** The stream's payloads in order, as of at most a second ago. */
    public List<Object> payloads(String stream) {
        return events(stream).stream().map(Recorded::payload).toList();
    }

    /** The stream's events in order with when each was recorded, as of at most a second ago. */
    public List<Recorded> events(String stream) {
        long now = System.nanoTime();
        Read read = cache.get(stream);
        if (read == null || now - read.atNanos() > MAX_AGE_NANOS) {
            read = new Read(now, lookup.stream(stream, null).stream()
                                       .map(e -> new Recorded(payloads.payload(e), e.recordedAt())).toList());
            cache.put(stream, read);
        }
        return read.events();
    }

    /**
     * Reads those of the given streams not read within the last second together ({@link LedgerLookup#streams}), so
     * that {@link #events} answers each of them from what was read, for as long as it would a stream read alone.
     */
    public void prefetch(java.util.Collection<String> streams) {
        long now = System.nanoTime();
        List<String> stale = streams.stream().filter(stream -> {
            Read read = cache.get(stream);
            return read == null || now - read.atNanos() > MAX_AGE_NANOS;
        }).distinct().toList();
        if (stale.isEmpty()) {
            return;
        }
        lookup.streams(stale).forEach((stream, events) -> cache.put(stream, new Read(now, events.stream().map(
                e -> new Recorded(payloads.payload(e), e.recordedAt())).toList())));
    }

    /** Reads the stream afresh next time: it was just appended to. */
    public void forget(String stream) {
        cache.remove(stream);
    }
}
