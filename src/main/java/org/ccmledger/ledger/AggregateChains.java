package org.ccmledger.ledger;

import static org.ccmledger.ledger.LedgerVerifier.check;
import static org.ccmledger.ledger.LedgerVerifier.compare;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

import org.ccmledger.ledger.LedgerVerifier.Break;
import org.ccmledger.ledger.LedgerVerifier.ChainHead;
import org.ccmledger.ledger.LedgerVerifier.Problem;
import org.ccmledger.ledger.LedgerVerifier.Report;

import com.mongodb.client.model.Filters;

/**
 * One aggregate's hash chain, or many at once, verified from the first event to the head ({@link LedgerVerifier}
 * checks the whole ledger in global-index order; this reads only the streams asked for, by their stream keys): every
 * event's hash, key, sequence and previous hash, the stream ending where its head record says, and the sealed head
 * (the last digest's record of the stream) unchanged.
 */
final class AggregateChains {

    private final LedgerCollections collections;
    private final int blockSize;

    AggregateChains(LedgerCollections collections, int blockSize) {
        this.collections = collections;
        this.blockSize = blockSize;
    }

    /**
     * Verifies one aggregate's chain, from its first event to its last: reads blocks of stream keys until a block
     * holds none, so a missing event inside the stream shows as a broken sequence at the event after it.
     */
    Report verify(String aggregateIdentifier) {
        StreamHeads.Head before = StreamHeads.read(collections.streamHeads(), List.of(aggregateIdentifier))
                                             .get(aggregateIdentifier);
        LedgerSealer.SealedHead sealed = new SealedRecord(collections).heads(List.of(aggregateIdentifier))
                                                                     .get(aggregateIdentifier);
        boolean sealedSeen = sealed == null;
        Map<String, ChainHead> heads = new HashMap<>();
        long checked = 0;
        for (long from = 0; ; from += blockSize) {
            List<String> keys = new ArrayList<>();
            for (long seq = from; seq < from + blockSize; seq++) {
                keys.add(StoredEvent.streamKey(aggregateIdentifier, seq));
            }
            Map<Long, StoredEvent> bySequence = new TreeMap<>();
            collections.events().find(Filters.in(StoredEvent.STREAM_KEY, keys))
                       .forEach(d -> {
                           StoredEvent e = StoredEvent.fromDocument(d);
                           bySequence.put(e.sequenceNumber(), e);
                       });
            for (StoredEvent event : bySequence.values()) {
                checked++;
                Problem problem = aggregateIdentifier.equals(event.aggregateIdentifier())
                        ? check(event, heads) : Problem.KEY_MISMATCH;
                if (problem != null) {
                    return new Report(checked, collections.highestReserved(), 0, 0,
                                      new Break(event.globalIndex(), event.streamKey(), problem));
                }
                if (sealed != null && event.sequenceNumber() == sealed.sequence()) {
                    sealedSeen = true;
                    if (event.globalIndex() != sealed.globalIndex()
                        || !sealed.hash().equals(String.valueOf(event.contentHash()))) {
                        return new Report(checked, collections.highestReserved(), 0, 0,
                                          new Break(event.globalIndex(), event.streamKey(),
                                                    Problem.SEALED_CONTENT_CHANGED));
                    }
                }
            }
            if (bySequence.isEmpty()) {
                // the walk ends at the first empty block, not at the first hole, so a deleted event is reported
                Break end = streamHeadBreak(aggregateIdentifier, heads.get(aggregateIdentifier), before);
                if (end == null && !sealedSeen) {
                    end = new Break(sealed.globalIndex(), StoredEvent.streamKey(aggregateIdentifier, sealed.sequence()),
                                    Problem.SEALED_CONTENT_CHANGED);
                }
                return new Report(checked, collections.highestReserved(), 0, 0, end);
            }
        }
    }

    /**
     * The first break of each of many aggregates' chains, as {@link #verify} finds it (absent when a chain is
     * intact), with a few {@code $in} lookups for all of them: their heads, their sealed heads and every key up to one
     * past each head. A stream that is not plainly intact on that read (no head, a key missing, one past its head,
     * any check failing) is walked on its own by {@link #verify}, so what is reported is what it reports.
     */
    Map<String, Break> firstBreaks(java.util.Collection<String> aggregateIdentifiers) {
        List<String> ids = List.copyOf(new java.util.LinkedHashSet<>(aggregateIdentifiers));
        Map<String, StreamHeads.Head> heads = new HashMap<>();
        Map<String, LedgerSealer.SealedHead> sealed = new HashMap<>();
        for (int from = 0; from < ids.size(); from += blockSize) {
            List<String> chunk = ids.subList(from, Math.min(ids.size(), from + blockSize));
            heads.putAll(StreamHeads.read(collections.streamHeads(), chunk));
            sealed.putAll(new SealedRecord(collections).heads(chunk));
        }
        List<String> keys = new ArrayList<>();
        for (String id : ids) {
            StreamHeads.Head head = heads.get(id);
            for (long seq = 0; head != null && seq <= head.sequence() + 1; seq++) {
                keys.add(StoredEvent.streamKey(id, seq));
            }
        }
        Map<String, StoredEvent> found = new HashMap<>();
        for (int from = 0; from < keys.size(); from += blockSize) {
            collections.events().find(Filters.in(StoredEvent.STREAM_KEY, keys.subList(from, Math.min(keys.size(),
                                                                                                   from + blockSize))))
                       .forEach(d -> {
                           StoredEvent e = StoredEvent.fromDocument(d);
                           found.put(e.streamKey(), e);
                       });
        }
        Map<String, Break> breaks = new java.util.LinkedHashMap<>();
        for (String id : ids) {
            if (!plainlyIntact(id, heads.get(id), sealed.get(id), found)) {
                Break found1 = verify(id).firstBreak();
                if (found1 != null) {
                    breaks.put(id, found1);
                }
            }
        }
        return breaks;
    }

    /** Every event from the first to the head there, in a valid chain ending at the head; the sealed head intact. */
    private static boolean plainlyIntact(String id, StreamHeads.Head head, LedgerSealer.SealedHead sealed,
                                         Map<String, StoredEvent> found) {
        if (head == null || found.containsKey(StoredEvent.streamKey(id, head.sequence() + 1))) {
            return false;
        }
        Map<String, ChainHead> chain = new HashMap<>();
        boolean sealedSeen = sealed == null;
        StoredEvent last = null;
        for (long seq = 0; seq <= head.sequence(); seq++) {
            StoredEvent event = found.get(StoredEvent.streamKey(id, seq));
            if (event == null || !id.equals(event.aggregateIdentifier()) || check(event, chain) != null) {
                return false;
            }
            if (sealed != null && seq == sealed.sequence()) {
                if (event.globalIndex() != sealed.globalIndex()
                    || !sealed.hash().equals(String.valueOf(event.contentHash()))) {
                    return false;
                }
                sealedSeen = true;
            }
            last = event;
        }
        return sealedSeen && last != null && last.hash().equals(head.hash())
               && last.globalIndex() == head.globalIndex();
    }

    /**
     * Whether one stream ends where its head record, read before its events, says: not before it (events deleted), and
     * not after it unless the head has moved there since (an append while the stream was read).
     */
    private Break streamHeadBreak(String stream, ChainHead end, StreamHeads.Head recorded) {
        StreamHeads.Head head = recorded;
        if (head != null && end != null && end.sequenceNumber() > head.sequence()) {
            head = StreamHeads.read(collections.streamHeads(), List.of(stream)).get(stream);
        }
        Map<String, ChainHead> ends = end == null ? Map.of() : Map.of(stream, end);
        Map<String, StreamHeads.Head> heads = head == null ? Map.of() : Map.of(stream, head);
        return compare(ends, heads, Long.MAX_VALUE);
    }
}
