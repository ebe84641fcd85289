package org.ccmledger.ledger;

import static org.axonframework.common.BuilderUtils.assertNonNull;
import static org.ccmledger.ledger.TokenEntries.CLAIMED_AT;
import static org.ccmledger.ledger.TokenEntries.OWNER;
import static org.ccmledger.ledger.TokenEntries.PROCESSOR;
import static org.ccmledger.ledger.TokenEntries.SEGMENT;

import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;

import org.axonframework.eventhandling.Segment;
import org.axonframework.eventhandling.TrackingToken;
import org.axonframework.eventhandling.WrappedToken;
import org.axonframework.eventhandling.tokenstore.TokenStore;
import org.axonframework.eventhandling.tokenstore.UnableToClaimTokenException;
import org.axonframework.eventhandling.tokenstore.UnableToInitializeTokenException;
import org.axonframework.messaging.unitofwork.CurrentUnitOfWork;
import org.bson.Document;
import org.bson.conversions.Bson;

import com.mongodb.ErrorCategory;
import com.mongodb.MongoWriteException;
import com.mongodb.client.MongoCollection;
import com.mongodb.client.MongoDatabase;
import com.mongodb.client.model.Filters;
import com.mongodb.client.model.FindOneAndUpdateOptions;
import com.mongodb.client.model.ReturnDocument;
import com.mongodb.client.model.Sorts;
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
 * <b>Advances that handled nothing</b> ({@link MongoTokenStoreBuilder#deferAdvances}, off by default, on in the service):
 * a tracking processor stores its token after every batch, also after a batch of events none of which its handlers
 * take (outside a unit of work), so every event cost every processor segment a write, which was most of the embedded
 * store's writes. Such a token is kept in memory while this node wrote the segment's token less than the deferral
 * ago, and written by the next store or claim extension after that, or when the claim is released or taken again
 * (only while this node still owns the segment: a claim lost meanwhile drops it). Written at once, always: a token
 * stored for a batch that handled events (inside its unit of work, with the batch's read-model writes); the first
 * token stored after a claim (a reset's); and any token that does not plainly move the segment on from the one this
 * node last had (a move back; a replay's or a merged segment's token, which Axon wraps around others). A crash loses
 * at most the deferred advance, so the segment reads again only events its handlers do not take. And a claim
 * extension with nothing to write is skipped while this node wrote the claim less than a tenth of the claim timeout
 * ago: no other node may take a claim younger than the timeout, and a batch keeps nine tenths of it. {@link
 * #peekTokens} shows this node's deferred tokens; another node's view of a segment may be that much behind.
 * <p>
 * Defaults: claim timeout 10 seconds, node id {@code <pid>@<host>}.
 */
public class MongoTokenStore implements TokenStore {

    private static final String CONFIG_KEY = "__config";

    private final MongoCollection<Document> tokens;
    private final TokenEntries entries;
    private final Duration claimTimeout;
    private final String nodeId;
    private final Clock clock;
    /** How long a token advanced by a batch that handled nothing may wait unwritten; 0: never. */
    private final long deferralMillis;
    /** How recently this node must have written a claim to skip extending it; 0: never skip. */
    private final long claimRefreshMillis;
    /** This node's segments (by key) with when it last wrote their claim: a token, a claim or an extension. */
    private final Map<String, Long> lastWritten = new ConcurrentHashMap<>();
    /** This node's segments (by key) with when it last wrote their token since claiming them. */
    private final Map<String, Long> tokenWritten = new ConcurrentHashMap<>();
    /** Tokens advanced by batches that handled nothing, not yet written, by key. */
    private final Map<String, TrackingToken> deferred = new ConcurrentHashMap<>();
    /** The token this node last claimed, wrote or deferred for each of its segments, by key. */
    private final Map<String, TrackingToken> latest = new ConcurrentHashMap<>();

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
        this.deferralMillis = builder.deferAdvances.toMillis();
        this.claimRefreshMillis = deferralMillis == 0 ? 0 : claimTimeout.toMillis() / 10;
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
        if (fetchSegments(processorName).length > 0) {
            throw new UnableToClaimTokenException("Could not initialize segments: some segments were already present");
        }
        List<Document> documents = new ArrayList<>();
        for (int segment = 0; segment < segmentCount; segment++) {
            documents.add(entries.newEntry(processorName, segment, initialToken, null, now()));
        }
        try {
            tokens.insertMany(documents);
        } catch (RuntimeException e) {
            throw new UnableToClaimTokenException("Could not initialize segments: another node did so concurrently");
        }
    }

    @Override
    public void storeToken(TrackingToken token, String processorName, int segment) {
        String key = TokenEntries.key(processorName, segment);
        if (!CurrentUnitOfWork.isStarted() && advances(key, token) && within(tokenWritten, key, deferralMillis)) {
            deferred.put(key, token); // a batch that handled nothing: written later (see the class comment)
            latest.put(key, token);
            return;
        }
        write(token, processorName, segment, key, claimable(processorName, segment));
    }

    /**
     * Whether {@code token} plainly moves the segment on from what this node last had for it: only such a token may
     * wait. A reset, any other move back, and the tokens Axon wraps others in (a replay's, a merged segment's) are
     * written at once.
     */
    private boolean advances(String key, TrackingToken token) {
        TrackingToken previous = latest.get(key);
        if (token == null || previous == null || token instanceof WrappedToken || previous instanceof WrappedToken
                || previous.getClass() != token.getClass()) {
            return false;
        }
        try {
            return token.covers(previous);
        } catch (IllegalArgumentException incomparable) {
            return false;
        }
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
        deferred.remove(key);
        Document updated = tokens.findOneAndUpdate(filter, new Document("$set", values));
        if (updated == null) {
            forget(key);
            throw cannotClaim(processorName, segment);
        }
        lastWritten.put(key, now);
        tokenWritten.put(key, now);
        if (token != null) {
            latest.put(key, token);
        } else {
            latest.remove(key);
        }
    }

    /** Whether this node wrote the segment's entry in {@code times} less than {@code millis} ago (never for 0). */
    private boolean within(Map<String, Long> times, String key, long millis) {
        Long at = times.get(key);
        return millis > 0 && at != null && now() - at < millis;
    }

    /**
     * Writes the segment's deferred token, if any, while this node still owns the segment; otherwise (the claim went
     * to another node meanwhile) the token is dropped: the segment is that node's to move.
     */
    private void flushDeferred(String processorName, int segment, String key) {
        TrackingToken pending = deferred.get(key);
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
            forget(key);
            throw cannotClaim(processorName, segment);
        }
        lastWritten.put(key, now);
        tokenWritten.remove(key); // the first token stored after a claim (a reset's, say) is written at once
        TrackingToken token = entries.readToken(claimed);
        if (token != null) {
            latest.put(key, token);
        } else {
            latest.remove(key);
        }
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
        TrackingToken pending = deferred.get(key);
        if (pending != null) {
            if (!within(tokenWritten, key, deferralMillis)) {
                write(pending, processorName, segment, key, ownedByMe(processorName, segment));
            }
            return; // otherwise the claim was written with a token less than the deferral ago
        }
        if (within(lastWritten, key, claimRefreshMillis)) {
            return; // no other node may take a claim this young
        }
        long now = now();
        long matched = tokens.updateOne(ownedByMe(processorName, segment), Updates.set(CLAIMED_AT, now))
                             .getMatchedCount();
        if (matched > 0) {
            lastWritten.put(key, now);
        } else {
            forget(key);
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
            forget(key);
        }
        tokens.updateOne(ownedByMe(processorName, segment), Updates.set(OWNER, null));
    }

    @Override
    public void initializeSegment(TrackingToken token, String processorName, int segment) {
        try {
            tokens.insertOne(entries.newEntry(processorName, segment, token, null, now()));
        } catch (MongoWriteException e) {
            if (e.getError().getCategory() == ErrorCategory.DUPLICATE_KEY) {
                throw new UnableToInitializeTokenException(String.format(
                        "Segment %s[%d] already exists", processorName, segment));
            }
            throw e;
        }
    }

    @Override
    public boolean requiresExplicitSegmentInitialization() {
        return true;
    }

    @Override
    public void deleteToken(String processorName, int segment) {
        forget(TokenEntries.key(processorName, segment));
        if (tokens.deleteOne(ownedByMe(processorName, segment)).getDeletedCount() == 0) {
            throw new UnableToClaimTokenException(String.format(
                    "Unable to remove token %s[%d]: it is not owned by this node", processorName, segment));
        }
    }

    @Override
    public int[] fetchSegments(String processorName) {
        List<Integer> segments = new ArrayList<>();
        tokens.find(Filters.eq(PROCESSOR, processorName)).sort(Sorts.ascending(SEGMENT))
              .forEach(d -> segments.add(d.getInteger(SEGMENT)));
        return segments.stream().mapToInt(Integer::intValue).sorted().toArray();
    }

    @Override
    public List<Segment> fetchAvailableSegments(String processorName) {
        List<Document> entries = new ArrayList<>();
        tokens.find(Filters.eq(PROCESSOR, processorName)).forEach(entries::add);
        int[] all = entries.stream().mapToInt(d -> d.getInteger(SEGMENT)).sorted().toArray();
        long expired = now() - claimTimeout.toMillis();
        return entries.stream()
                      .filter(d -> d.getString(OWNER) == null || nodeId.equals(d.getString(OWNER))
                              || d.get(CLAIMED_AT, Number.class).longValue() < expired)
                      .map(d -> Segment.computeSegment(d.getInteger(SEGMENT), all))
                      .toList();
    }

    /**
     * Removes every token of a processor, claimed or not, so that it starts again from its initial token: for
     * rebuilding a read model before its processor starts (never while it runs). Returns how many were removed.
     */
    public long deleteTokens(String processorName) {
        lastWritten.keySet().removeIf(key -> key.startsWith(processorName + "#"));
        tokenWritten.keySet().removeIf(key -> key.startsWith(processorName + "#"));
        deferred.keySet().removeIf(key -> key.startsWith(processorName + "#"));
        latest.keySet().removeIf(key -> key.startsWith(processorName + "#"));
        return tokens.deleteMany(Filters.eq(PROCESSOR, processorName)).getDeletedCount();
    }

    /**
     * Every token of a processor, by segment, without claiming them (for metrics and monitoring): as stored, or as
     * this node holds it deferred for a segment it owns.
     */
    public List<TrackingToken> peekTokens(String processorName) {
        List<TrackingToken> result = new ArrayList<>();
        tokens.find(Filters.eq(PROCESSOR, processorName)).forEach(d -> {
            TrackingToken pending = nodeId.equals(d.getString(OWNER)) ? deferred.get(d.getString("_id")) : null;
            result.add(pending != null ? pending : entries.readToken(d));
        });
        return result;
    }

    private void forget(String key) {
        lastWritten.remove(key);
        tokenWritten.remove(key);
        deferred.remove(key);
        latest.remove(key);
    }

    @Override
    public Optional<String> retrieveStorageIdentifier() {
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
