package org.ccmledger.platform.axon;

import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.function.Function;
import java.util.function.LongSupplier;

import org.ccmledger.ledger.LedgerLookup;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.stereotype.Component;

/**
 * The payloads of a reference stream (fee schedules, code sets, practice profiles, identities: a few events each, read
 * on every evaluation) straight from the ledger, verified on read like every other read, and kept for at most a
 * second: an edition or version loaded by this instance is seen at once ({@link #forget}), one loaded by another
 * instance within a second. What callers work out from a stream ({@link #derived}) is kept with it for as long.
 */
@Component
public class ReferenceStreams {

    private static final long MAX_AGE_NANOS = TimeUnit.SECONDS.toNanos(1);

    private final LedgerLookup lookup;
    private final StoredEventPayloads payloads;
    private final Map<String, Read> cache = new ConcurrentHashMap<>();
    private final LongSupplier nanoTime;

    @Autowired
    ReferenceStreams(LedgerLookup lookup, StoredEventPayloads payloads) {
        this(lookup, payloads, System::nanoTime);
    }

    /** @param nanoTime where the age of what was read is measured from (tests move it by hand) */
    ReferenceStreams(LedgerLookup lookup, StoredEventPayloads payloads, LongSupplier nanoTime) {
        this.lookup = lookup;
        this.payloads = payloads;
        this.nanoTime = nanoTime;
    }

    /**
     * A stream as read, what callers derived from it ({@link #derived}), which goes with it, and its generation: how
     * often it was {@link #forget forgotten} before it was read. A forgotten stream is a read with no events.
     */
    private record Read(long atNanos, List<Recorded> events, Map<Object, Object> derived, long generation) {
        Read(long atNanos, List<Recorded> events, long generation) {
            this(atNanos, events, new ConcurrentHashMap<>(), generation);
        }

        boolean freshAt(long now) {
            return events != null && now - atNanos <= MAX_AGE_NANOS;
        }
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
        return read(stream).events();
    }

    /**
     * What {@code derive} makes of the stream's events (the fee data in force, a practice's current profile), made
     * once per read of the stream rather than on every call: a practice's month asks for the same answer once per
     * patient. {@code key} names the derivation among those of the stream; {@code derive} must depend on the events
     * alone and answer non-null (an Optional for "none"), and its answer must not be changed by callers.
     */
    @SuppressWarnings("unchecked")
    public <T> T derived(String stream, Object key, Function<List<Recorded>, T> derive) {
        Read read = read(stream);
        return (T) read.derived().computeIfAbsent(key, k -> derive.apply(read.events()));
    }

    private Read read(String stream) {
        long now = nanoTime.getAsLong();
        Read cached = cache.get(stream);
        if (cached != null && cached.freshAt(now)) {
            return cached;
        }
        Read read = new Read(now, recorded(lookup.stream(stream, null)), generation(cached));
        keep(stream, read);
        return read;
    }

    /**
     * Keeps what was read unless the stream was forgotten since the read began: a read that began before this
     * instance appended may not have seen the append, and kept, it would hide it for a second.
     */
    private void keep(String stream, Read read) {
        cache.compute(stream, (key, now) -> generation(now) == read.generation() ? read : now);
    }

    private static long generation(Read read) {
        return read == null ? 0 : read.generation();
    }

    /**
     * Reads those of the given streams not read within the last second together ({@link LedgerLookup#streams}), so
     * that {@link #events} answers each of them from what was read, for as long as it would a stream read alone.
     */
    public void prefetch(Collection<String> streams) {
        long now = nanoTime.getAsLong();
        Map<String, Long> stale = new HashMap<>();
        for (String stream : streams) {
            Read read = cache.get(stream);
            if (read == null || !read.freshAt(now)) {
                stale.put(stream, generation(read));
            }
        }
        if (stale.isEmpty()) {
            return;
        }
        lookup.streams(stale.keySet()).forEach((stream, events) -> keep(stream, new Read(now, recorded(events),
                                                                                        stale.get(stream))));
    }

    private List<Recorded> recorded(List<org.ccmledger.ledger.StoredEvent> events) {
        return events.stream().map(e -> new Recorded(payloads.payload(e), e.recordedAt())).toList();
    }

    /** Reads the stream afresh next time, and keeps no read of it that began before: it was just appended to. */
    public void forget(String stream) {
        cache.compute(stream, (key, read) -> new Read(Long.MIN_VALUE, null, generation(read) + 1));
    }
}
