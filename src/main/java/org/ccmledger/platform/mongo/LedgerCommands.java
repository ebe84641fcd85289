package org.ccmledger.platform.mongo;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Set;

import de.bwaldvogel.mongo.bson.Document;
import io.netty.channel.Channel;

/**
 * The one command the embedded server adds to MongoDB's: {@code ccmAppend}, which inserts a commit's events and updates
 * their streams' head records as one write, made durable by one commit. The embedded server has no multi-document
 * transactions; this gives the event store the same all-or-nothing append it gets from a transaction on a replica
 * set ({@code docs/ledger.md}, "Appending a commit"). Shape:
 * <pre>
 * {ccmAppend: "events", documents: [...], heads: "stream_heads", updates: [{q: …, u: …, upsert: true} …],
 *  answerFirst: true}
 * </pre>
 * {@code answerFirst} (optional) answers the append once applied, before its commit: for a caller that makes a
 * journaled write of its own before it acknowledges anything ({@link #answersFirst}).
 * The insert runs first, ordered, and only when none of its documents would collide on a unique key ({@code _id},
 * {@code streamKey}, {@code eventIdentifier}) with a stored document or with another of the batch: a commit that
 * loses to a concurrent one stores nothing, and the reply names the first colliding document as a duplicate-key write
 * error, as MongoDB's insert would. Only when the insert stored every document are the head updates applied
 * (unordered; an update that loses to a head already further on is ignored). The reply is the insert's.
 */
final class LedgerCommands {

    static final String APPEND = "ccmappend";
    private static final int DUPLICATE_KEY = 11000;

    /** Runs one command of the backend, under whatever lock the caller holds. */
    @FunctionalInterface
    interface Runner {
        Document run(Channel channel, String database, String command, Document query);
    }

    private LedgerCommands() {
    }

    static boolean isAppend(String command) {
        return APPEND.equals(command.toLowerCase(Locale.ROOT));
    }

    /**
     * Whether the append asks to be answered before its commit ({@code answerFirst: true}), because its caller makes
     * it durable with a journaled write of its own before acknowledging anything (the ledger's
     * {@code DurableWithAnswer}). A write concern never does: the ledger's append is durable before it is answered
     * unless it says so in its own field.
     */
    static boolean answersFirst(Document query) {
        return Boolean.TRUE.equals(query.get("answerFirst"));
    }

    static Document append(Runner backend, Channel channel, String database, String command, Document query) {
        String collection = (String) query.get(command);
        @SuppressWarnings("unchecked")
        List<Document> documents = (List<Document>) query.get("documents");
        Document collision = firstCollision(backend, channel, database, collection, documents);
        if (collision != null) {
            return collision;
        }
        Document insert = new Document("insert", collection)
                .append("documents", query.get("documents"))
                .append("ordered", true);
        Document inserted = backend.run(channel, database, "insert", insert);
        if (inserted.containsKey("writeErrors")) {
            return inserted;
        }
        @SuppressWarnings("unchecked")
        List<Document> updates = (List<Document>) query.get("updates");
        List<Document> forward = forward(backend, channel, database, (String) query.get("heads"), updates);
        if (!forward.isEmpty()) {
            backend.run(channel, database, "update", new Document("update", query.get("heads"))
                    .append("updates", forward).append("ordered", false));
        }
        return inserted;
    }

    /**
     * The head updates that move a head forward, each rewritten to select its head by {@code _id} alone. The embedded
     * server uses an index only for a query on exactly the index's keys, so the update's own condition ({@code _id} and
     * {@code sequence $lt}) would scan every head; here the heads are read by key and the condition is checked in
     * Java. The caller holds the backend's append lock, so no other append moves a head in between.
     */
    private static List<Document> forward(Runner backend, Channel channel, String database, String heads,
                                          List<Document> updates) {
        List<Object> ids = updates.stream().map(u -> ((Document) u.get("q")).get("_id")).toList();
        Document found = backend.run(channel, database, "find", new Document("find", heads)
                .append("filter", new Document("_id", new Document("$in", ids)))
                .append("batchSize", ids.size() + 1));
        Map<Object, Long> current = new HashMap<>();
        @SuppressWarnings("unchecked")
        List<Document> batch = (List<Document>) ((Document) found.get("cursor")).get("firstBatch");
        batch.forEach(d -> current.put(d.get("_id"), ((Number) d.get("sequence")).longValue()));
        List<Document> forward = new ArrayList<>();
        for (Document update : updates) {
            Document q = (Document) update.get("q");
            long below = ((Number) ((Document) q.get("sequence")).get("$lt")).longValue();
            Long now = current.get(q.get("_id"));
            if (now == null || now < below) {
                forward.add(new Document("q", new Document("_id", q.get("_id"))).append("u", update.get("u"))
                                    .append("upsert", true));
            }
        }
        return forward;
    }

    /** The keys no two events may share, with the index that enforces each. */
    private static final List<String> UNIQUE = List.of("_id", "streamKey", "eventIdentifier");

    /**
     * A duplicate-key reply for the first document that collides with a stored one or an earlier one of the batch;
     * {@code null} when none does.
     */
    private static Document firstCollision(Runner backend, Channel channel, String database, String collection,
                                           List<Document> documents) {
        Map<String, Set<Object>> stored = new HashMap<>();
        for (String key : UNIQUE) {
            List<Object> values = documents.stream().map(d -> d.get(key)).filter(Objects::nonNull).toList();
            Document found = backend.run(channel, database, "find", new Document("find", collection)
                    .append("filter", new Document(key, new Document("$in", values)))
                    .append("projection", new Document(key, 1)).append("batchSize", documents.size() + 1));
            Set<Object> taken = new HashSet<>();
            @SuppressWarnings("unchecked")
            List<Document> batch = (List<Document>) ((Document) found.get("cursor")).get("firstBatch");
            batch.forEach(d -> taken.add(d.get(key)));
            stored.put(key, taken);
        }
        for (int index = 0; index < documents.size(); index++) {
            for (String key : UNIQUE) {
                Object value = documents.get(index).get(key);
                if (value != null && !stored.get(key).add(value)) {
                    return new Document("n", 0).append("writeErrors", List.of(
                            new Document("index", index).append("code", DUPLICATE_KEY)
                                    .append("errmsg", "E11000 duplicate key error collection: " + database + "."
                                                      + collection + " index: " + key + "_1")))
                            .append("ok", 1.0);
                }
            }
        }
        return null;
    }
}
