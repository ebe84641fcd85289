package org.ccmledger.ledger;

import static org.ccmledger.ledger.TokenEntries.CLAIMED_AT;
import static org.ccmledger.ledger.TokenEntries.OWNER;
import static org.ccmledger.ledger.TokenEntries.PROCESSOR;
import static org.ccmledger.ledger.TokenEntries.SEGMENT;

import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.UUID;

import org.axonframework.eventhandling.Segment;
import org.axonframework.eventhandling.TrackingToken;
import org.axonframework.eventhandling.tokenstore.UnableToClaimTokenException;
import org.axonframework.eventhandling.tokenstore.UnableToInitializeTokenException;
import org.bson.Document;

import com.mongodb.ErrorCategory;
import com.mongodb.MongoWriteException;
import com.mongodb.client.MongoCollection;
import com.mongodb.client.model.Filters;
import com.mongodb.client.model.Sorts;

/**
 * A processor's segments in the tokens collection, apart from claiming them ({@link MongoTokenStore}): created (each
 * explicitly, which keeps split and merge safe), listed, those this node may claim, their tokens as this node sees
 * them, and the store's identifier.
 */
final class TokenSegments {

    private static final String CONFIG_KEY = "__config";

    private final MongoCollection<Document> tokens;
    private final TokenEntries entries;
    private final SegmentWrites writes;
    private final String nodeId;
    private final Duration claimTimeout;
    private final Clock clock;

    TokenSegments(MongoCollection<Document> tokens, TokenEntries entries, SegmentWrites writes, String nodeId,
                  Duration claimTimeout, Clock clock) {
        this.tokens = tokens;
        this.entries = entries;
        this.writes = writes;
        this.nodeId = nodeId;
        this.claimTimeout = claimTimeout;
        this.clock = clock;
    }

    /** The processor's first segments, all unclaimed from {@code initialToken}; refused when it has any already. */
    void create(String processorName, int segmentCount, TrackingToken initialToken) {
        if (segments(processorName).length > 0) {
            throw new UnableToClaimTokenException("Could not initialize segments: some segments were already present");
        }
        List<Document> documents = new ArrayList<>();
        for (int segment = 0; segment < segmentCount; segment++) {
            documents.add(entries.newEntry(processorName, segment, initialToken, null, clock.millis()));
        }
        try {
            tokens.insertMany(documents);
        } catch (RuntimeException e) {
            throw new UnableToClaimTokenException("Could not initialize segments: another node did so concurrently");
        }
    }

    /** One more segment (a split or merge), unclaimed; refused when it exists. */
    void createOne(TrackingToken token, String processorName, int segment) {
        try {
            tokens.insertOne(entries.newEntry(processorName, segment, token, null, clock.millis()));
        } catch (MongoWriteException e) {
            if (e.getError().getCategory() == ErrorCategory.DUPLICATE_KEY) {
                throw new UnableToInitializeTokenException(String.format(
                        "Segment %s[%d] already exists", processorName, segment));
            }
            throw e;
        }
    }

    /** The processor's segment numbers, ascending. */
    int[] segments(String processorName) {
        List<Integer> segments = new ArrayList<>();
        tokens.find(Filters.eq(PROCESSOR, processorName)).sort(Sorts.ascending(SEGMENT))
              .forEach(d -> segments.add(d.getInteger(SEGMENT)));
        return segments.stream().mapToInt(Integer::intValue).sorted().toArray();
    }

    /** The segments this node may claim: unowned, its own, or claimed longer ago than the claim timeout. */
    List<Segment> available(String processorName) {
        List<Document> found = new ArrayList<>();
        tokens.find(Filters.eq(PROCESSOR, processorName)).forEach(found::add);
        int[] all = found.stream().mapToInt(d -> d.getInteger(SEGMENT)).sorted().toArray();
        long expired = clock.millis() - claimTimeout.toMillis();
        return found.stream()
                    .filter(d -> d.getString(OWNER) == null || nodeId.equals(d.getString(OWNER))
                            || d.get(CLAIMED_AT, Number.class).longValue() < expired)
                    .map(d -> Segment.computeSegment(d.getInteger(SEGMENT), all))
                    .toList();
    }

    /** Every token of the processor, by segment: as stored, or as this node holds it deferred for a segment it owns. */
    List<TrackingToken> peek(String processorName) {
        List<TrackingToken> result = new ArrayList<>();
        tokens.find(Filters.eq(PROCESSOR, processorName)).forEach(d -> {
            TrackingToken pending = nodeId.equals(d.getString(OWNER)) ? writes.deferred(d.getString("_id")) : null;
            result.add(pending != null ? pending : entries.readToken(d));
        });
        return result;
    }

    /** The store's identifier, created by the first node that asks. */
    Optional<String> storageIdentifier() {
        Document config = tokens.find(Filters.eq("_id", CONFIG_KEY)).first();
        if (config == null) {
            try {
                tokens.insertOne(new Document("_id", CONFIG_KEY).append("storageId", UUID.randomUUID().toString()));
            } catch (MongoWriteException e) {
                // another node created it first; read theirs
            }
            config = tokens.find(Filters.eq("_id", CONFIG_KEY)).first();
        }
        return Optional.ofNullable(config).map(d -> d.getString("storageId"));
    }
}
