package org.ccmledger.ledger;

import static org.axonframework.common.BuilderUtils.assertNonNull;
import static org.ccmledger.ledger.TokenEntries.CLAIMED_AT;
import static org.ccmledger.ledger.TokenEntries.OWNER;
import static org.ccmledger.ledger.TokenEntries.PROCESSOR;

import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Optional;

import org.axonframework.eventhandling.Segment;
import org.axonframework.eventhandling.TrackingToken;
import org.axonframework.eventhandling.tokenstore.TokenStore;
import org.axonframework.eventhandling.tokenstore.UnableToClaimTokenException;
import org.bson.Document;
import org.bson.conversions.Bson;

import com.mongodb.client.MongoCollection;
import com.mongodb.client.MongoDatabase;
import com.mongodb.client.model.Filters;
import com.mongodb.client.model.FindOneAndUpdateOptions;
import com.mongodb.client.model.ReturnDocument;
import com.mongodb.client.model.Updates;

/**
 * Axon {@link TokenStore} on MongoDB, in the ledger's database (collection {@code tokens}).
 * <p>
 * One document per processor segment, keyed {@code <processor>#<segment>}, holding the serialized token, the owner
 * (node id) and the time of the last claim ({@link TokenEntries}). A node claims a segment with one atomic {@code findOneAndUpdate} that
 * succeeds only when the segment is unowned, owned by that node, or its claim is older than the claim timeout; so
 * several service instances share the segments of one processor. Segments are initialised explicitly, which makes
 * split and merge safe: a claim checks by key that the segment was not split or merged meanwhile.
 * <p>
 * <b>Advances that handled nothing</b> ({@link MongoTokenStoreBuilder#deferAdvances}, off by default, on in the
 * service) may wait unwritten for a moment, and a young claim is not extended again: {@link SegmentWrites} says when.
 * <p>
 * Defaults: claim timeout 10 seconds, node id {@code <pid>@<host>}.
 */
public class MongoTokenStore implements TokenStore {

    private final MongoCollection<Document> tokens;
    private final TokenEntries entries;
    private final Duration claimTimeout;
    private final String nodeId;
    private final Clock clock;
    /** What this node last wrote for each segment it holds, and the advances it keeps unwritten. */
    private final SegmentWrites writes;
    /** What the collection holds, read without claiming. */
    private final TokenSegments segments;

    protected MongoTokenStore(MongoTokenStoreBuilder builder) {
        assertNonNull(builder.database, "The database is a hard requirement");
        assertNonNull(builder.serializer, "The serializer is a hard requirement");
        LedgerCollections.createCollection(builder.database, "tokens");
        // a token is written after its batch's read-model writes and is as derivable as they are: answered once applied,
        // durable with the next commit (see ReadModelBatches.collection); claims are decided by the applied state
        MongoCollection<Document> collection = builder.database.getCollection("tokens");
        this.tokens = collection.withWriteConcern(collection.getWriteConcern().withJournal(false));
        this.entries = new TokenEntries(builder.serializer);
        this.claimTimeout = builder.claimTimeout;
        this.nodeId = builder.nodeId;
        this.clock = builder.clock;
        this.writes = new SegmentWrites(clock, builder.deferAdvances, claimTimeout);
        this.segments = new TokenSegments(tokens, entries, writes, nodeId, claimTimeout, clock);
    }

    /** This node's identity as a token owner. */
    public String nodeId() {
        return nodeId;
    }

    /** How long a claim holds without being extended. */
    public Duration claimTimeout() {
        return claimTimeout;
    }

    public static MongoTokenStoreBuilder builder() {
        return new MongoTokenStoreBuilder();
    }

    private long now() {
        return clock.millis();
    }

    private Bson claimable(String processorName, int segment) {
        return Filters.and(Filters.eq("_id", TokenEntries.key(processorName, segment)),
                           Filters.or(Filters.eq(OWNER, null), Filters.eq(OWNER, nodeId),
                                      Filters.lt(CLAIMED_AT, now() - claimTimeout.toMillis())));
    }

    private Bson ownedByMe(String processorName, int segment) {
        return Filters.and(Filters.eq("_id", TokenEntries.key(processorName, segment)), Filters.eq(OWNER, nodeId));
    }

    @Override
    public void initializeTokenSegments(String processorName, int segmentCount) {
        initializeTokenSegments(processorName, segmentCount, null);
    }

    @Override
    public void initializeTokenSegments(String processorName, int segmentCount,
                                        TrackingToken initialToken) {
        segments.create(processorName, segmentCount, initialToken);
    }

    @Override
    public void storeToken(TrackingToken token, String processorName, int segment) {
        String key = TokenEntries.key(processorName, segment);
        if (writes.mayDefer(key, token)) {
            writes.defer(key, token); // a batch that handled nothing: written later (see the class comment)
            return;
        }
        write(token, processorName, segment, key, claimable(processorName, segment));
    }

    /**
     * Writes the token and extends the claim where {@code filter} (which names the segment) allows; forgets any
     * deferred token of the segment.
     */
    private void write(TrackingToken token, String processorName, int segment, String key, Bson filter) {
        Document values = new Document();
        entries.writeToken(values, token);
        long now = now();
        values.append(OWNER, nodeId).append(CLAIMED_AT, now);
        writes.writing(key);
        Document updated = tokens.findOneAndUpdate(filter, new Document("$set", values));
        if (updated == null) {
            writes.forget(key);
            throw cannotClaim(processorName, segment);
        }
        writes.tokenWritten(key, token, now);
    }

    /**
     * Writes the segment's deferred token, if any, while this node still owns the segment; otherwise (the claim went
     * to another node meanwhile) the token is dropped: the segment is that node's to move.
     */
    private void flushDeferred(String processorName, int segment, String key) {
        TrackingToken pending = writes.deferred(key);
        if (pending != null) {
            try {
                write(pending, processorName, segment, key, ownedByMe(processorName, segment));
            } catch (UnableToClaimTokenException lost) {
                // forgotten by write
            }
        }
    }

    @Override
    public TrackingToken fetchToken(String processorName, int segment) {
        String key = TokenEntries.key(processorName, segment);
        flushDeferred(processorName, segment, key);
        long now = now();
        Document claimed = tokens.findOneAndUpdate(
                claimable(processorName, segment),
                Updates.combine(Updates.set(OWNER, nodeId), Updates.set(CLAIMED_AT, now)),
                new FindOneAndUpdateOptions().returnDocument(ReturnDocument.BEFORE)); // see LedgerCollections.reserve
        if (claimed == null) {
            writes.forget(key);
            throw cannotClaim(processorName, segment);
        }
        TrackingToken token = entries.readToken(claimed);
        writes.claimed(key, token, now); // the first token stored after a claim (a reset's, say) is written at once
        return token;
    }

    @Override
    public TrackingToken fetchToken(String processorName, Segment segment) {
        TrackingToken token = fetchToken(processorName, segment.getSegmentId());
        int mergeable = segment.mergeableSegmentId();
        boolean merged = mergeable > segment.getSegmentId() && !exists(processorName, mergeable);
        boolean split = exists(processorName, segment.splitSegmentId());
        if (merged || split) {
            releaseClaim(processorName, segment.getSegmentId());
            throw new UnableToClaimTokenException(String.format(
                    "Unable to claim segment %s[%d]: it has been %s concurrently", processorName,
                    segment.getSegmentId(), merged ? "merged" : "split"));
        }
        return token;
    }

    private boolean exists(String processorName, int segment) {
        return tokens.find(Filters.eq("_id", TokenEntries.key(processorName, segment))).first() != null;
    }

    private UnableToClaimTokenException cannotClaim(String processorName, int segment) {
        Document existing = tokens.find(Filters.eq("_id", TokenEntries.key(processorName, segment))).first();
        if (existing == null) {
            return new UnableToClaimTokenException(String.format(
                    "Unable to claim token %s[%d]: it has not been initialized", processorName, segment));
        }
        return new UnableToClaimTokenException(String.format(
                "Unable to claim token %s[%d]: it is owned by %s", processorName, segment,
                existing.getString(OWNER)));
    }

    @Override
    public void extendClaim(String processorName, int segment) {
        String key = TokenEntries.key(processorName, segment);
        TrackingToken pending = writes.deferred(key);
        if (pending != null) {
            if (writes.deferredIsDue(key)) {
                write(pending, processorName, segment, key, ownedByMe(processorName, segment));
            }
            return; // otherwise the claim was written with a token less than the deferral ago
        }
        if (writes.claimIsYoung(key)) {
            return; // no other node may take a claim this young
        }
        long now = now();
        long matched = tokens.updateOne(ownedByMe(processorName, segment), Updates.set(CLAIMED_AT, now))
                             .getMatchedCount();
        if (matched > 0) {
            writes.claimExtended(key, now);
        } else {
            writes.forget(key);
            throw new UnableToClaimTokenException(String.format(
                    "Unable to extend the claim on %s[%d]: it is claimed by another node or does not exist",
                    processorName, segment));
        }
    }

    @Override
    public void releaseClaim(String processorName, int segment) {
        String key = TokenEntries.key(processorName, segment);
        try {
            flushDeferred(processorName, segment, key);
        } finally {
            writes.forget(key);
        }
        tokens.updateOne(ownedByMe(processorName, segment), Updates.set(OWNER, null));
    }

    @Override
    public void initializeSegment(TrackingToken token, String processorName, int segment) {
        segments.createOne(token, processorName, segment);
    }

    @Override
    public boolean requiresExplicitSegmentInitialization() {
        return true;
    }

    @Override
    public void deleteToken(String processorName, int segment) {
        writes.forget(TokenEntries.key(processorName, segment));
        if (tokens.deleteOne(ownedByMe(processorName, segment)).getDeletedCount() == 0) {
            throw new UnableToClaimTokenException(String.format(
                    "Unable to remove token %s[%d]: it is not owned by this node", processorName, segment));
        }
    }

    @Override
    public int[] fetchSegments(String processorName) {
        return segments.segments(processorName);
    }

    @Override
    public List<Segment> fetchAvailableSegments(String processorName) {
        return segments.available(processorName);
    }

    /**
     * Removes every token of a processor, claimed or not, so that it starts again from its initial token: for
     * rebuilding a read model before its processor starts (never while it runs). Returns how many were removed.
     */
    public long deleteTokens(String processorName) {
        writes.forgetProcessor(processorName);
        return tokens.deleteMany(Filters.eq(PROCESSOR, processorName)).getDeletedCount();
    }

    /**
     * Every token of a processor, by segment, without claiming them (for metrics and monitoring): as stored, or as
     * this node holds it deferred for a segment it owns.
     */
    public List<TrackingToken> peekTokens(String processorName) {
        return segments.peek(processorName);
    }

    @Override
    public Optional<String> retrieveStorageIdentifier() {
        return segments.storageIdentifier();
    }
}
