package org.ccmledger.platform.mongo;

import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.LongAdder;

import org.h2.mvstore.MVMap;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import de.bwaldvogel.mongo.MongoDatabase;
import de.bwaldvogel.mongo.backend.CollectionOptions;
import de.bwaldvogel.mongo.backend.CursorRegistry;
import de.bwaldvogel.mongo.backend.h2.H2Collection;
import de.bwaldvogel.mongo.bson.Document;

/**
 * How often the embedded store read a whole collection to answer one query: every query, update, delete or
 * {@code findAndModify} whose filter no index could serve. The embedded server uses an index only for a filter that
 * names an index's keys by exact values ({@link OrderedUniqueIndex}), so a hot query that is not a key lookup costs a
 * read of its whole collection, which grows with the practice: the ledger's design keeps every hot query a key lookup,
 * and these counts are how that is checked ({@code {ccmScans: 1}} on the embedded server, and the tests). A filter
 * that names nothing ({@code {}}, a deliberate read of everything) is counted apart. Collection names only: no value
 * of a filter is kept or logged.
 */
final class StoreScans {

    private static final Logger log = LoggerFactory.getLogger(StoreScans.class);

    /** The embedded server's command answering the counts: {@code {ccmScans: 1}}. */
    static final String COMMAND = "ccmscans";

    private final Map<String, LongAdder> filtered = new ConcurrentHashMap<>();
    private final Map<String, LongAdder> everything = new ConcurrentHashMap<>();

    /** A collection of the H2 store whose scans are counted here. */
    H2Collection collection(MongoDatabase database, String name, CollectionOptions options,
                            MVMap<Object, Document> data, MVMap<String, Object> meta, CursorRegistry cursors) {
        return new StoreCollection(database, name, options, data, meta, cursors, this);
    }

    /** A query of {@code namespace} no index served read every document. */
    void scanned(String namespace, Document query) {
        if (query.isEmpty()) {
            everything.computeIfAbsent(namespace, n -> new LongAdder()).increment();
            return;
        }
        filtered.computeIfAbsent(namespace, n -> new LongAdder()).increment();
        if (log.isDebugEnabled()) {
            log.debug("A scan of {} for a filter on {}", namespace, query.keySet());
        }
    }

    /** Scans since the server started, over every collection: of filters no index served, or of empty filters. */
    long total(boolean filtered) {
        return (filtered ? this.filtered : everything).values().stream().mapToLong(LongAdder::sum).sum();
    }

    /** {@code {ok: 1, filtered: {<namespace>: n, …}, everything: {…}}}: the counts since the server started. */
    Document answer() {
        return new Document("ok", 1.0).append("filtered", counts(filtered)).append("everything", counts(everything));
    }

    private static Document counts(Map<String, LongAdder> counts) {
        Document answer = new Document();
        new TreeMap<>(counts).forEach((namespace, count) -> answer.append(namespace, count.sum()));
        return answer;
    }
}
