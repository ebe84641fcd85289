package org.ccmledger.ledger;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Collections;
import java.util.HashMap;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.SortedSet;
import java.util.NavigableMap;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.stream.Collectors;
import java.util.stream.LongStream;

import org.axonframework.eventhandling.GapAwareTrackingToken;
import org.axonframework.eventhandling.TrackedDomainEventData;
import org.axonframework.eventhandling.TrackedEventData;
import org.axonframework.eventhandling.TrackingToken;
import org.bson.Document;

import com.mongodb.client.model.Filters;

/**
 * The gap-aware tracking reader of {@link MongoEventStorageEngine}: reads the ledger in global-index order by key
 * windows, keeps reserved indexes without a document as gaps of a {@link GapAwareTrackingToken}, decides gaps past the
 * gap timeout with tombstones, and creates the head, tail and at-an-instant tokens. See "Tracking" in
 * {@code docs/ledger.md}. Every event is verified before it is delivered ({@link ReadCheck}): the events before one
 * that fails are delivered, and the next read starts at it and throws, so a processor stops at a forged event and
 * its token never passes it. An event verified by a tracking read moments before (another segment's, another
 * processor's) is handed on as it was verified, not read again ({@link RecentEvents}).
 */
final class TrackingReader {

    private final LedgerCollections collections;
    private final Clock clock;
    private final Duration gapTimeout;
    private final int maxGapOffset;
    private final ReadCheck check;
    private final int keyWindow;
    private final RecentEvents recent;

    /** @param keyWindow global indexes per key window when searching for a token at an instant (the batch size) */
    TrackingReader(LedgerCollections collections, Clock clock, Duration gapTimeout, int maxGapOffset,
                   ReadCheck check, int keyWindow) {
        this.collections = collections;
        this.clock = clock;
        this.gapTimeout = gapTimeout;
        this.maxGapOffset = maxGapOffset;
        this.check = check;
        this.keyWindow = keyWindow;
        this.recent = new RecentEvents(16 * keyWindow);
    }

    /**
     * What occupies a global index: an event, or a tombstone ({@code event == null}); {@code verified} when the event
     * passed verification moments ago ({@link RecentEvents}).
     */
    private record Slot(long index, StoredEvent event, Instant recordedAt, boolean verified) {
        static Slot of(Document document) {
            long index = document.get("_id", Number.class).longValue();
            if (StoredEvent.isTombstone(document)) {
                java.util.Date recorded = document.getDate(StoredEvent.RECORDED_AT);
                return new Slot(index, null, recorded == null ? Instant.EPOCH : recorded.toInstant(), false);
            }
            StoredEvent event = StoredEvent.fromDocument(document);
            return new Slot(index, event, event.recordedAt(), false);
        }

        static Slot verified(StoredEvent event) {
            return new Slot(event.globalIndex(), event, event.recordedAt(), true);
        }

        boolean holdsEvent() {
            return event != null;
        }
    }

    /**
     * The events after {@code lastToken} (null: from the start), each with the token that passes it: the token's gaps,
     * the next {@code batchSize} reserved indexes (further windows while they hold no event) and up to two probe
     * keys ({@link #probes}); and
     * whether indexes were reserved beyond what was read, so that the next read will find more without waiting
     * ({@link ReadAhead}).
     */
    ReadAhead.Batch read(TrackingToken lastToken, int batchSize) {
        if (lastToken != null && !(lastToken instanceof GapAwareTrackingToken)) {
            throw new IllegalArgumentException("Expected a GapAwareTrackingToken, got "
                                                       + lastToken.getClass().getSimpleName());
        }
        GapAwareTrackingToken token = (GapAwareTrackingToken) lastToken;
        long head = collections.highestReserved();
        long after = token == null ? 0 : token.getIndex();
        SortedSet<Long> gaps = token == null ? Collections.emptySortedSet() : token.getGaps();
        List<Long> probes = probes(gaps);

        long windowEnd = Math.min(after + batchSize, head);
        List<Long> keys = new ArrayList<>(gaps);
        LongStream.rangeClosed(after + 1, windowEnd).forEach(keys::add);
        keys.addAll(probes);
        if (keys.isEmpty()) {
            return new ReadAhead.Batch(lastToken, List.of(), false);
        }
        List<Long> asked = new ArrayList<>(keys);
        long now = clock.millis();
        NavigableMap<Long, Slot> found = lookUp(keys, now);
        // no event in the window but more reserved beyond it (in-flight commits, tombstones): look further
        while (windowEnd < head && found.values().stream().noneMatch(slot -> slot.index() > after
                && slot.holdsEvent())) {
            long from = windowEnd + 1;
            windowEnd = Math.min(windowEnd + batchSize, head);
            List<Long> further = LongStream.rangeClosed(from, windowEnd).boxed().toList();
            asked.addAll(further);
            found.putAll(lookUp(further, now));
        }
        found.putAll(lookUp(emptyBelowFound(asked, found), now));
        if (token != null && !gaps.isEmpty()) {
            token = decideExpiredGaps(token, found, probes);
        }
        List<TrackedEventData<?>> result = new ArrayList<>();
        Map<String, String> verified = new HashMap<>();
        for (Slot slot : found.values()) {
            long index = slot.index();
            if (token != null && index <= token.getIndex() && !token.getGaps().contains(index)) {
                continue; // a probe, or a slot decided a moment ago
            }
            if (slot.verified()) {
                verified.put(slot.event().streamKey(), slot.event().hash());
            } else if (slot.holdsEvent()) {
                try {
                    check.one(slot.event(), verified);
                    recent.put(slot.event(), now);
                } catch (LedgerIntegrityException failure) {
                    if (result.isEmpty()) {
                        throw failure;
                    }
                    // deliver what came before it; the next read starts at it and fails there
                    return new ReadAhead.Batch(lastToken, result, true);
                }
            }
            token = token == null
                    ? GapAwareTrackingToken.newInstance(index, gapsBelow(index))
                    : token.advanceTo(index, maxGapOffset);
            if (slot.holdsEvent()) {
                result.add(new TrackedDomainEventData<>(token, AggregateEvents.entryOf(slot.event())));
            }
        }
        return new ReadAhead.Batch(lastToken, result, windowEnd < head);
    }

    /**
     * The slots read to learn how old the token's gaps are: the first index past the first gap that is not a gap, and
     * the one past the last gap. Each was reserved after every gap below it, so once it was recorded more than the gap
     * timeout ago those gaps are past their deadline. The second is needed because a read that delivers nothing does
     * not move the token: with only the first, a quiet ledger would decide the gaps below it and then read the same
     * gaps and the same probe forever, leaving any gap above it undecided.
     */
    private static List<Long> probes(SortedSet<Long> gaps) {
        if (gaps.isEmpty()) {
            return List.of();
        }
        long first = gaps.first() + 1;
        while (gaps.contains(first)) {
            first++;
        }
        return first == gaps.last() + 1 ? List.of(first) : List.of(first, gaps.last() + 1);
    }

    private Collection<Long> gapsBelow(long index) {
        return LongStream.range(Math.max(1, index - maxGapOffset), index).boxed()
                         .collect(Collectors.toCollection(TreeSet::new));
    }

    /**
     * Decides the gaps that have waited long enough: those below a probe ({@link #probes}) recorded more than the gap
     * timeout ago (it was reserved after them, so their commits are past their deadline). Each such slot gets a
     * tombstone; where the tombstone loses, the event landed after all and is fetched to be delivered. So a gap is
     * only ever dropped when its slot provably holds no event, whatever the clocks say; a commit that arrives after
     * its slot was decided fails on the slot's key and reports failure to its sender.
     */
    private GapAwareTrackingToken decideExpiredGaps(GapAwareTrackingToken token, Map<Long, Slot> found,
                                                    List<Long> probes) {
        Instant deadline = clock.instant().minus(gapTimeout);
        Slot probed = probes.stream().map(found::get).filter(p -> p != null && p.recordedAt().isBefore(deadline))
                            .reduce((lower, higher) -> higher).orElse(null);
        if (probed == null) {
            return token;
        }
        long probe = probed.index();
        List<Long> expired = token.getGaps().headSet(probe).stream().filter(g -> !found.containsKey(g)).toList();
        if (expired.isEmpty()) {
            return token;
        }
        Set<Long> taken = collections.tombstone(expired, probed.recordedAt(), "gap timeout");
        if (!taken.isEmpty()) {
            found.putAll(findSlots(new ArrayList<>(taken)));
        }
        SortedSet<Long> kept = new TreeSet<>(token.getGaps());
        expired.stream().filter(g -> !taken.contains(g)).forEach(kept::remove);
        check.metrics().gapsDropped(expired.size() - taken.size());
        return GapAwareTrackingToken.newInstance(token.getIndex(), kept);
    }

    /**
     * The slots asked for and found empty that lie below a slot found filled: read once more, after the first read.
     * One {@code $in} is not a snapshot: it looks its keys up one after another while commits land, so it can miss an
     * event and find one written after it (a patient's enrolment missed, the care time the same writer appended next
     * found). Delivered so, a projection would meet the care time before the enrolment. Everything visible before the
     * later event was written is visible to the second read, so what the two reads find together keeps every writer's
     * order; what is still empty is a gap as before (a commit that had not landed when the later event was read).
     */
    private static List<Long> emptyBelowFound(List<Long> asked, NavigableMap<Long, Slot> found) {
        if (found.isEmpty()) {
            return List.of();
        }
        long highest = found.lastKey();
        return asked.stream().filter(index -> index < highest && !found.containsKey(index)).distinct().toList();
    }

    /** The slots at {@code indexes}: events verified moments ago from {@link RecentEvents}, the others read. */
    private NavigableMap<Long, Slot> lookUp(List<Long> indexes, long now) {
        List<Long> unread = new ArrayList<>(indexes.size());
        NavigableMap<Long, Slot> found = new TreeMap<>(Comparator.naturalOrder());
        for (Long index : indexes) {
            StoredEvent event = recent.verified(index, now);
            if (event == null) {
                unread.add(index);
            } else {
                found.put(index, Slot.verified(event));
            }
        }
        found.putAll(findSlots(unread));
        return found;
    }

    private NavigableMap<Long, Slot> findSlots(List<Long> indexes) {
        NavigableMap<Long, Slot> found = new TreeMap<>(Comparator.naturalOrder());
        if (indexes.isEmpty()) {
            return found;
        }
        for (Document document : collections.events().find(Filters.in("_id", indexes))) {
            Slot slot = Slot.of(document);
            found.put(slot.index(), slot);
        }
        return found;
    }

    /** The tail token: {@code null}, i.e. from the first event. */
    TrackingToken tailToken() {
        return null;
    }

    /** The head token: the highest reserved index with no gaps; {@code null} for an empty ledger. */
    TrackingToken headToken() {
        long head = collections.highestReserved();
        return head == 0 ? null : GapAwareTrackingToken.newInstance(head, Collections.emptySet());
    }

    /**
     * A token just before the first event recorded at or after {@code dateTime}: a binary search over global indexes
     * by key, since the recorded time grows with the global index.
     */
    TrackingToken tokenAt(Instant dateTime) {
        long low = 1;
        long high = collections.highestReserved();
        long firstAtOrAfter = high + 1;
        while (low <= high) {
            long mid = (low + high) >>> 1;
            StoredEvent event = firstExistingFrom(mid, high);
            if (event == null) {
                high = mid - 1;
            } else if (!event.recordedAt().isBefore(dateTime)) {
                firstAtOrAfter = Math.min(firstAtOrAfter, event.globalIndex());
                high = mid - 1;
            } else {
                low = event.globalIndex() + 1;
            }
        }
        long index = firstAtOrAfter - 1;
        return index <= 0 ? null : GapAwareTrackingToken.newInstance(index, Collections.emptySet());
    }

    private StoredEvent firstExistingFrom(long from, long to) {
        for (long start = from; start <= to; start += keyWindow) {
            long end = Math.min(to, start + keyWindow - 1);
            Map<Long, Slot> found = findSlots(LongStream.rangeClosed(start, end).boxed().toList());
            for (Slot slot : found.values()) {
                if (slot.holdsEvent()) {
                    return slot.event();
                }
            }
        }
        return null;
    }
}
