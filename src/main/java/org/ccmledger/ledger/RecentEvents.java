package org.ccmledger.ledger;

import java.util.concurrent.atomic.AtomicReferenceArray;

/**
 * The events that tracking reads of one store verified in the last moments, by global index: a ring that the segments
 * of a processor, and processors rebuilt together, share. Each segment reads the whole ledger (it skips the events of
 * the other segments only after reading them), so without it a processor of two segments read and verified every event
 * twice, nearly half of its time in a rebuild. A stored event is never changed, and one that passed verification is
 * the genuine one whatever happens to the database later (as {@link ChainHashes} says of its hashes); an entry is still
 * used only for {@link #FRESH_MILLIS} after it was verified, so a replay later on reads and verifies again.
 * A slot holds the last event put at its index modulo the capacity; lock-free, safe for any number of readers.
 */
final class RecentEvents {

    /** How long a verified event is handed on again without another read. */
    static final long FRESH_MILLIS = 2_000;

    private record Entry(StoredEvent event, long verifiedAt) {
    }

    private final AtomicReferenceArray<Entry> ring;

    /** @param capacity events kept at most (the last ones verified, by index) */
    RecentEvents(int capacity) {
        this.ring = new AtomicReferenceArray<>(capacity);
    }

    /**
     * The event at {@code globalIndex} if it was verified less than {@link #FRESH_MILLIS} before {@code now} (the
     * store's clock, in milliseconds), else {@code null}.
     */
    StoredEvent verified(long globalIndex, long now) {
        Entry entry = ring.get(slot(globalIndex));
        if (entry == null || entry.event().globalIndex() != globalIndex || now - entry.verifiedAt() >= FRESH_MILLIS
                || now < entry.verifiedAt()) {
            return null;
        }
        return entry.event();
    }

    /** Keeps an event that has just passed verification. */
    void put(StoredEvent event, long now) {
        ring.set(slot(event.globalIndex()), new Entry(event, now));
    }

    private int slot(long globalIndex) {
        return (int) Math.floorMod(globalIndex, (long) ring.length());
    }
}
