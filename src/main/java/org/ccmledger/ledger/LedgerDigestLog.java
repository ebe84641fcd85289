package org.ccmledger.ledger;

import java.util.ArrayList;
import java.util.List;
import java.util.NavigableMap;
import java.util.Optional;
import java.util.concurrent.ThreadLocalRandom;
import java.util.function.UnaryOperator;

import org.bson.Document;
import org.ccmledger.ledger.LedgerDigests.Digest;

import com.mongodb.ErrorCategory;
import com.mongodb.MongoWriteException;
import com.mongodb.client.model.Filters;
import com.mongodb.client.model.UpdateOptions;
import com.mongodb.client.model.Updates;

/**
 * The append-only collection {@code ledger_digests}: one document per digest, {@code _id} = its sequence number
 * 1, 2, 3…, never updated or deleted. Every read is by key: a digest by its number, a page by {@code _id $in}, the
 * latest by probing upwards from a hint ({@code counters._id = "ledgerDigest"}, raised after each append), since a
 * sort would scan the collection on the embedded server.
 * <p>
 * Appends from several instances are safe: a digest is inserted under the number after the latest one, and the
 * unique {@code _id} lets only one of two concurrent appends have it; the other builds its digest again on top of
 * the winner (a new {@code previousDigest}).
 */
public final class LedgerDigestLog {

    /** The collection's name. */
    public static final String COLLECTION = "ledger_digests";
    static final String HINT = "ledgerDigest";
    private static final int PROBE = 16;
    private static final int READ_BLOCK = 500;
    private static final int MAX_ATTEMPTS = 100;

    private final LedgerCollections collections;

    public LedgerDigestLog(LedgerCollections collections) {
        this.collections = collections;
    }

    /** The digest with this sequence number. */
    public Optional<Digest> find(long sequence) {
        return Optional.ofNullable(collections.digests().find(Filters.eq("_id", sequence)).first())
                       .map(LedgerDigestLog::fromDocument);
    }

    /**
     * The highest digest sequence number taken: the hint, or above it the highest of the digests that follow it
     * without a hole. 0 when no digest was taken.
     */
    public long highestSequence() {
        long highest = hint();
        for (long from = highest + 1; ; from += PROBE) {
            NavigableMap<Long, Document> found = read(from, from + PROBE - 1);
            if (found.isEmpty()) {
                return highest;
            }
            highest = found.lastKey();
            if (highest < from + PROBE - 1) {
                return highest;
            }
        }
    }

    /**
     * The digest with the highest sequence number, or empty when none was taken.
     *
     * @throws IllegalStateException when that digest is gone (someone deleted it)
     */
    public Optional<Digest> latest() {
        long highest = highestSequence();
        if (highest == 0) {
            return Optional.empty();
        }
        return Optional.of(find(highest).orElseThrow(() -> new IllegalStateException(
                "ledger digest " + highest + " is missing from " + COLLECTION)));
    }

    /** Up to {@code limit} digests from sequence number {@code from} downwards, newest first. */
    public List<Digest> newestFirst(long from, int limit) {
        if (from < 1 || limit < 1) {
            return List.of();
        }
        return read(Math.max(1, from - limit + 1), from).descendingMap().values().stream()
                                                         .map(LedgerDigestLog::fromDocument).toList();
    }

    /** The digests with sequence numbers 1 to {@code sequence - 1} that exist, oldest first. */
    public List<Digest> before(long sequence) {
        List<Digest> digests = new ArrayList<>();
        for (long from = 1; from < sequence; from += READ_BLOCK) {
            read(from, Math.min(sequence - 1, from + READ_BLOCK - 1)).values()
                    .forEach(d -> digests.add(fromDocument(d)));
        }
        return digests;
    }

    /**
     * Appends the digest {@code next} builds on top of the latest one (empty when there is none yet): signed, with
     * the latest's sequence number plus one and its chain hash. Called again when another writer took that number
     * meanwhile.
     */
    public Digest append(UnaryOperator<Digest> next) {
        for (int attempt = 0; attempt < MAX_ATTEMPTS; attempt++) {
            Digest previous = latest().orElse(null);
            Digest digest = next.apply(previous);
            long expected = previous == null ? 1 : previous.sequence() + 1;
            if (digest.sequence() != expected || digest.signature() == null) {
                throw new IllegalArgumentException("a digest must be signed and follow the latest one");
            }
            try {
                collections.digests().insertOne(toDocument(digest));
            } catch (MongoWriteException e) {
                if (e.getError().getCategory() == ErrorCategory.DUPLICATE_KEY) {
                    backOff(attempt);
                    continue;
                }
                throw e;
            }
            collections.counters().updateOne(Filters.eq("_id", HINT), Updates.max("value", digest.sequence()),
                                             new UpdateOptions().upsert(true));
            return digest;
        }
        throw new IllegalStateException("gave up appending a ledger digest after " + MAX_ATTEMPTS
                                                + " concurrent appends took its number");
    }

    /** A short random pause, so that writers that keep colliding spread out. */
    private static void backOff(int attempt) {
        try {
            Thread.sleep(ThreadLocalRandom.current().nextLong(1, 2L + Math.min(attempt, 10)));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while appending a ledger digest", e);
        }
    }

    private long hint() {
        Document counter = collections.counters().find(Filters.eq("_id", HINT)).first();
        return counter == null ? 0 : counter.get("value", Number.class).longValue();
    }

    private NavigableMap<Long, Document> read(long from, long to) {
        return LedgerCollections.byKeys(collections.digests(), from, to);
    }

    static Document toDocument(Digest digest) {
        return new Document("_id", digest.sequence())
                .append("sealedUpTo", digest.sealedUpTo())
                .append("eventCount", digest.eventCount())
                .append("merkleRoot", digest.merkleRoot())
                .append("headsRoot", digest.headsRoot())
                .append("previousDigest", digest.previousDigest())
                .append("createdAt", digest.createdAt())
                .append("keyId", digest.keyId())
                .append("signature", digest.signature());
    }

    static Digest fromDocument(Document d) {
        return new Digest(d.get("_id", Number.class).longValue(), number(d, "sealedUpTo"), number(d, "eventCount"),
                          d.getString("merkleRoot"), d.getString("headsRoot"), d.getString("previousDigest"),
                          d.getString("createdAt"),
                          d.getString("keyId"), d.getString("signature"));
    }

    private static long number(Document d, String field) {
        Number value = d.get(field, Number.class);
        return value == null ? -1 : value.longValue();
    }
}
