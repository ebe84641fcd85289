package org.ccmledger.billing.export;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;

import org.bson.Document;
import org.bson.types.Binary;

import com.mongodb.client.MongoCollection;
import com.mongodb.client.model.Filters;
import com.mongodb.client.model.ReplaceOptions;

/**
 * The interchanges' bytes as they went out ({@code claim_batches}), each under its key (practice, control number,
 * SHA-256). An interchange of up to {@code partBytes} is one document with its text ({@code interchange}), as every
 * interchange was kept before parts existed; a larger one is kept in parts of at most that many bytes
 * ({@code <key>#0}, {@code <key>#1} …, each {@code bytes}) under a document naming how many there are ({@code parts})
 * and the whole's length, so that no document nears MongoDB's 16 MB limit. The parts are written before the document
 * that names them.
 */
final class InterchangeCopies {

    /** The size of a part: a quarter of MongoDB's largest document. */
    static final int PART_BYTES = 4 * 1024 * 1024;
    /** More parts than any interchange has (a gigabyte of parts of 4 MB): a head naming more was changed. */
    private static final int MAX_PARTS = 256;

    private final MongoCollection<Document> batches;
    private final int partBytes;

    InterchangeCopies(MongoCollection<Document> batches, int partBytes) {
        if (partBytes < 1) {
            throw new IllegalArgumentException("a part holds at least one byte");
        }
        this.batches = batches;
        this.partBytes = partBytes;
    }

    /** Keeps the interchange under {@code key}; keeping the same bytes again changes nothing. */
    void keep(String key, String interchange, String sha256) {
        byte[] bytes = interchange.getBytes(StandardCharsets.UTF_8);
        ReplaceOptions upsert = new ReplaceOptions().upsert(true);
        if (bytes.length <= partBytes) {
            batches.replaceOne(Filters.eq("_id", key), new Document("_id", key).append("interchange", interchange)
                                                                             .append("sha256", sha256), upsert);
            return;
        }
        int parts = (bytes.length + partBytes - 1) / partBytes;
        for (int part = 0; part < parts; part++) {
            byte[] slice = Arrays.copyOfRange(bytes, part * partBytes, Math.min(bytes.length, (part + 1) * partBytes));
            batches.replaceOne(Filters.eq("_id", partKey(key, part)),
                               new Document("_id", partKey(key, part)).append("bytes", new Binary(slice)), upsert);
        }
        batches.replaceOne(Filters.eq("_id", key), new Document("_id", key).append("sha256", sha256)
                                                                         .append("parts", parts)
                                                                         .append("length", bytes.length), upsert);
    }

    /**
     * The interchange kept under {@code key}; empty when it is missing, or when what names its parts, or one of them,
     * is missing or not what was written (the batch's SHA-256 is checked on what this returns).
     */
    Optional<String> read(String key) {
        Document head = batches.find(Filters.eq("_id", key)).first();
        if (head == null) {
            return Optional.empty();
        }
        if (head.containsKey("interchange")) {
            return head.get("interchange") instanceof String text ? Optional.of(text) : Optional.empty();
        }
        if (!(head.get("parts") instanceof Integer parts) || parts < 1 || parts > MAX_PARTS
                || !(head.get("length") instanceof Integer length)) {
            return Optional.empty();
        }
        // a part at a time: the reply to a lookup of many parts of 4 MB could outgrow what the server sends at once
        ByteArrayOutputStream whole = new ByteArrayOutputStream();
        for (int part = 0; part < parts; part++) {
            Document stored = batches.find(Filters.eq("_id", partKey(key, part))).first();
            if (stored == null || !(stored.get("bytes") instanceof Binary bytes)
                    || whole.size() + (long) bytes.length() > length) {
                return Optional.empty();
            }
            whole.writeBytes(bytes.getData());
        }
        return whole.size() == length ? Optional.of(whole.toString(StandardCharsets.UTF_8)) : Optional.empty();
    }

    /**
     * Drops the interchange kept under {@code key}, and its parts; also the parts a keep that stopped before the
     * document naming them left behind (found one by one from the first).
     */
    void discard(String key) {
        Document head = batches.find(Filters.eq("_id", key)).first();
        List<String> keys = new ArrayList<>();
        keys.add(key);
        if (head != null && head.get("parts") instanceof Integer parts && parts > 0 && parts <= MAX_PARTS) {
            for (int part = 0; part < parts; part++) {
                keys.add(partKey(key, part));
            }
        } else {
            for (int part = 0; part < MAX_PARTS
                                && batches.find(Filters.eq("_id", partKey(key, part))).first() != null; part++) {
                keys.add(partKey(key, part));
            }
        }
        batches.deleteMany(Filters.in("_id", keys));
    }

    private static String partKey(String key, int part) {
        return key + "#" + part;
    }
}
