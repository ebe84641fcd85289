package org.ccmledger.ledger;

import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import org.bson.Document;
import org.bson.conversions.Bson;

import com.mongodb.MongoWriteException;
import com.mongodb.client.ClientSession;
import com.mongodb.client.MongoCollection;
import com.mongodb.client.model.Filters;
import com.mongodb.client.model.UpdateOptions;
import com.mongodb.client.model.Updates;

/**
 * The head of every stream: {@code stream_heads}, one document per aggregate ({@code _id} = aggregate identifier) with
 * the sequence number, hash and global index of its last event. Written with the events of each commit (in the same
 * transaction, or the embedded server's atomic append), and only ever moved forward. It is what lets a stream be
 * verified complete on its own: an event deleted from the end of a stream, or a stream whose last events were rewritten
 * and re-hashed, no longer ends where its head says.
 */
final class StreamHeads {

    static final String COLLECTION = "stream_heads";
    static final String SEQUENCE = "sequence";
    static final String HASH = "hash";
    static final String GLOBAL_INDEX = "globalIndex";

    /** A stream's last event. */
    record Head(String stream, long sequence, String hash, long globalIndex) {

        /** The update that moves the stream's head here, unless it is already as far or further on. */
        Bson filter() {
            return Filters.and(Filters.eq("_id", stream), Filters.lt(SEQUENCE, sequence));
        }

        Bson update() {
            return Updates.combine(Updates.set(SEQUENCE, sequence), Updates.set(HASH, hash),
                                   Updates.set(GLOBAL_INDEX, globalIndex));
        }

        /** The update as an element of an {@code update} command's {@code updates}. */
        Document asCommand() {
            return new Document("q", new Document("_id", stream).append(SEQUENCE, new Document("$lt", sequence)))
                    .append("u", new Document("$set", new Document(SEQUENCE, sequence).append(HASH, hash)
                            .append(GLOBAL_INDEX, globalIndex)))
                    .append("upsert", true);
        }
    }

    private StreamHeads() {
    }

    /** The heads a commit's documents give: the last event of each stream in it. */
    static List<Head> of(List<Document> commit) {
        Map<String, Head> heads = new LinkedHashMap<>();
        for (Document document : commit) {
            String stream = document.getString(StoredEvent.AGGREGATE_IDENTIFIER);
            if (stream != null) {
                heads.put(stream, new Head(stream, ((Number) document.get(StoredEvent.SEQUENCE_NUMBER)).longValue(),
                                           document.getString(StoredEvent.HASH),
                                           ((Number) document.get(StoredEvent.ID)).longValue()));
            }
        }
        return new ArrayList<>(heads.values());
    }

    /** Moves the heads forward, in {@code session} when given; a head already further on is left as it is. */
    static void write(MongoCollection<Document> heads, List<Head> moves, ClientSession session) {
        for (Head head : moves) {
            try {
                if (session == null) {
                    heads.updateOne(head.filter(), head.update(), new UpdateOptions().upsert(true));
                } else {
                    heads.updateOne(session, head.filter(), head.update(), new UpdateOptions().upsert(true));
                }
            } catch (MongoWriteException e) {
                if (e.getError().getCode() != LedgerCollections.DUPLICATE_KEY) {
                    throw e;
                }
                // the head is already at a later event: a later commit's update came first
            }
        }
    }

    /** The recorded head of one stream, by key; {@code null} when it has none. */
    static Head read(MongoCollection<Document> heads, String stream) {
        return read(heads, List.of(stream)).get(stream);
    }

    /** The recorded heads of the given streams that have one. */
    static Map<String, Head> read(MongoCollection<Document> heads, Collection<String> streams) {
        Map<String, Head> found = new HashMap<>();
        for (Document d : heads.find(Filters.in("_id", List.copyOf(streams)))) {
            found.put(d.getString("_id"), new Head(d.getString("_id"), ((Number) d.get(SEQUENCE)).longValue(),
                                                   d.getString(HASH), ((Number) d.get(GLOBAL_INDEX)).longValue()));
        }
        return found;
    }
}
