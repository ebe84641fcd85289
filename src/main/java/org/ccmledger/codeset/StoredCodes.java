package org.ccmledger.codeset;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

import org.bson.Document;
import org.ccmledger.codeset.api.Icd10EditionLoaded;
import org.springframework.stereotype.Component;

import com.mongodb.MongoWriteException;
import com.mongodb.client.MongoCollection;
import com.mongodb.client.MongoDatabase;
import com.mongodb.client.model.Filters;

/**
 * The codes of loaded ICD-10-CM editions, beside the ledger (an edition holds some 75,000 codes): collection
 * {@code icd10cm_codes}, {@code _id} = {@code <codesSha256>:<chunk>}, chunks of 10,000 codes joined by line feeds.
 * Content-addressed and write-once, so the same codes are stored once whoever loads them; read back by key and
 * accepted only when they hash to the fingerprint the ledger's event names.
 */
@Component
class StoredCodes {

    static final String COLLECTION = "icd10cm_codes";
    private static final int CHUNK = 10_000;
    private static final int DUPLICATE_KEY = 11000;

    private final MongoCollection<Document> codes;

    StoredCodes(MongoDatabase database) {
        this.codes = database.getCollection(COLLECTION);
    }

    /** Stores the codes under their fingerprint; a chunk already there is left as it is (write-once). */
    void store(Icd10Edition.Read read) {
        String[] all = read.codes();
        for (int chunk = 0; chunk * CHUNK < all.length; chunk++) {
            String[] part = Arrays.copyOfRange(all, chunk * CHUNK, Math.min(all.length, (chunk + 1) * CHUNK));
            try {
                codes.insertOne(new Document("_id", read.codesSha256() + ":" + chunk)
                                        .append("codes", String.join("\n", part)));
            } catch (MongoWriteException e) {
                if (e.getError().getCode() != DUPLICATE_KEY) {
                    throw e;
                }
            }
        }
    }

    /** The edition an event names, its codes read back and checked against the event's fingerprint. */
    Icd10Edition edition(Icd10EditionLoaded event) {
        int chunks = (event.codeCount() + CHUNK - 1) / CHUNK;
        List<String> ids = new ArrayList<>();
        for (int chunk = 0; chunk < chunks; chunk++) {
            ids.add(event.codesSha256() + ":" + chunk);
        }
        Map<String, String> found = new TreeMap<>();
        for (Document d : codes.find(Filters.in("_id", ids))) {
            found.put(d.getString("_id"), d.getString("codes"));
        }
        List<String> all = new ArrayList<>(event.codeCount());
        for (String id : ids) {
            String part = found.get(id);
            if (part == null) {
                throw new IllegalStateException("the codes of ICD-10-CM " + event.edition() + " are missing");
            }
            all.addAll(Arrays.asList(part.split("\n")));
        }
        String[] sorted = all.toArray(String[]::new);
        if (sorted.length != event.codeCount() || !Icd10Edition.codesSha256(sorted).equals(event.codesSha256())) {
            throw new IllegalStateException("the stored codes of ICD-10-CM " + event.edition()
                                            + " are not the ones loaded (their fingerprint differs)");
        }
        return new Icd10Edition(event.edition(), event.effectiveFrom(), event.effectiveTo(), event.source(),
                                event.fileSha256(), event.codesSha256(), sorted);
    }
}
