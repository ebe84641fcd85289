package org.ccmledger.ledger;

import java.time.Clock;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

import org.axonframework.eventhandling.TrackingToken;
import org.axonframework.eventhandling.WrappedToken;
import org.axonframework.messaging.unitofwork.CurrentUnitOfWork;

/**
 * What this node last wrote for each processor segment it holds, by token key ({@link TokenEntries#key}), and the
 * advances it keeps unwritten for a while: {@link MongoTokenStore} decides with it whether a token may wait and
 * whether a claim extension may be skipped, and tells it what it wrote. One segment is used by one processor thread
 * at a time; the maps are concurrent so that {@link #deferred} can be read for metrics from any thread.
 * <p>
 * <b>Advances that handled nothing</b> ({@link MongoTokenStoreBuilder#deferAdvances}, off by default, on in the
 * service): a tracking processor stores its token after every batch, also after a batch of events none of which its handlers
 * take (outside a unit of work), so every event cost every processor segment a write, which was most of the embedded
 * store's writes. Such a token is kept in memory while this node wrote the segment's token less than the deferral
 * ago, and written by the next store or claim extension after that, or when the claim is released or taken again
 * (only while this node still owns the segment: a claim lost meanwhile drops it). Written at once, always: a token
 * stored for a batch that handled events (inside its unit of work, with the batch's read-model writes); the first
 * token stored after a claim (a reset's); and any token that does not plainly move the segment on from the one this
 * node last had (a move back; a replay's or a merged segment's token, which Axon wraps around others). A crash loses
 * at most the deferred advance, so the segment reads again only events its handlers do not take. And a claim
 * extension with nothing to write is skipped while this node wrote the claim less than a tenth of the claim timeout
 * ago: no other node may take a claim younger than the timeout, and a batch keeps nine tenths of it.
 * {@link MongoTokenStore#peekTokens} shows this node's deferred tokens; another node's view of a segment may be that
 * much behind.
 */
final class SegmentWrites {

    private final Clock clock;
    /** How long a token advanced by a batch that handled nothing may wait unwritten; 0: never. */
    private final long deferralMillis;
    /** How recently this node must have written a claim to skip extending it; 0: never skip. */
    private final long claimRefreshMillis;
    /** When this node last wrote each segment's claim: a token, a claim or an extension. */
    private final Map<String, Long> claimWritten = new ConcurrentHashMap<>();
    /** When this node last wrote each segment's token since claiming it. */
    private final Map<String, Long> tokenWritten = new ConcurrentHashMap<>();
    /** Tokens advanced by batches that handled nothing, not yet written. */
    private final Map<String, TrackingToken> deferred = new ConcurrentHashMap<>();
    /** The token this node last claimed, wrote or deferred for each segment. */
    private final Map<String, TrackingToken> latest = new ConcurrentHashMap<>();

    SegmentWrites(Clock clock, Duration deferral, Duration claimTimeout) {
        this.clock = clock;
        this.deferralMillis = deferral.toMillis();
        this.claimRefreshMillis = deferralMillis == 0 ? 0 : claimTimeout.toMillis() / 10;
    }

    /**
     * Whether {@code token}, stored now, may wait: stored outside a unit of work (a batch that handled nothing), it
     * plainly moves the segment on from what this node last had, and this node wrote the segment's token less than the
     * deferral ago. A reset, any other move back, and the tokens Axon wraps others in (a replay's, a merged
     * segment's) never wait.
     */
    boolean mayDefer(String key, TrackingToken token) {
        return !CurrentUnitOfWork.isStarted() && advances(key, token) && within(tokenWritten, key, deferralMillis);
    }

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

    void defer(String key, TrackingToken token) {
        deferred.put(key, token);
        latest.put(key, token);
    }

    /** The segment's token kept unwritten, or {@code null}. */
    TrackingToken deferred(String key) {
        return deferred.get(key);
    }

    /** Whether the segment's deferred token has waited long enough to be written with the next claim extension. */
    boolean deferredIsDue(String key) {
        return !within(tokenWritten, key, deferralMillis);
    }

    /** Whether this node wrote the segment's claim so recently that extending it may be skipped. */
    boolean claimIsYoung(String key) {
        return within(claimWritten, key, claimRefreshMillis);
    }

    /** A token is about to be written: it replaces any deferred one, whether the write succeeds or not. */
    void writing(String key) {
        deferred.remove(key);
    }

    /** This node wrote the segment's token (and so its claim) at {@code at}. */
    void tokenWritten(String key, TrackingToken token, long at) {
        claimWritten.put(key, at);
        tokenWritten.put(key, at);
        remember(key, token);
    }

    /** This node claimed the segment at {@code at}, reading {@code token}: the next token stored is written at once. */
    void claimed(String key, TrackingToken token, long at) {
        claimWritten.put(key, at);
        tokenWritten.remove(key);
        remember(key, token);
    }

    void claimExtended(String key, long at) {
        claimWritten.put(key, at);
    }

    private void remember(String key, TrackingToken token) {
        if (token != null) {
            latest.put(key, token);
        } else {
            latest.remove(key);
        }
    }

    /** The segment is no longer this node's (released, lost, deleted): nothing of it is kept. */
    void forget(String key) {
        claimWritten.remove(key);
        tokenWritten.remove(key);
        deferred.remove(key);
        latest.remove(key);
    }

    /** Every segment of the processor forgotten. */
    void forgetProcessor(String processorName) {
        String prefix = processorName + "#";
        claimWritten.keySet().removeIf(key -> key.startsWith(prefix));
        tokenWritten.keySet().removeIf(key -> key.startsWith(prefix));
        deferred.keySet().removeIf(key -> key.startsWith(prefix));
        latest.keySet().removeIf(key -> key.startsWith(prefix));
    }

    /** Whether {@code times} says this node wrote the segment less than {@code millis} ago (never for 0). */
    private boolean within(Map<String, Long> times, String key, long millis) {
        Long at = times.get(key);
        return millis > 0 && at != null && clock.millis() - at < millis;
    }
}
