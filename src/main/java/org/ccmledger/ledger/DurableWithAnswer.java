package org.ccmledger.ledger;

import java.util.concurrent.Callable;

/**
 * Appends whose caller makes them durable itself, with a journaled write of its own made before it acknowledges
 * anything: the HTTP API's idempotency record, which remembers a command's answer before the answer goes out
 * ({@code platform/web/IdempotencyFilter}). Such an append is answered by the embedded server once applied, without
 * waiting for a commit of its own; the commit that makes the answer's record durable makes the events durable with it,
 * since a commit persists the whole store as it was (docs/ledger.md, "Durability"). So a command with an
 * {@code Idempotency-Key} waits for one commit, not two, and nothing is acknowledged before its events are durable.
 * <p>
 * Only the embedded server's atomic append ({@code ccmAppend}) honours it; on a real MongoDB the append keeps its own
 * write concern. An append made outside {@link #call} is durable before it is answered, as always.
 */
public final class DurableWithAnswer {

    private static final ThreadLocal<Boolean> ACTIVE = new ThreadLocal<>();

    private DurableWithAnswer() {
    }

    /**
     * Runs {@code work} on this thread with its appends answered before their commit. The caller must make a journaled
     * write after {@code work} returns or fails, before it answers anyone.
     */
    public static <T> T call(Callable<T> work) throws Exception {
        Boolean outer = ACTIVE.get();
        ACTIVE.set(Boolean.TRUE);
        try {
            return work.call();
        } finally {
            if (outer == null) {
                ACTIVE.remove();
            } else {
                ACTIVE.set(outer);
            }
        }
    }

    /** Whether an append made now on this thread may be answered before its commit. */
    public static boolean active() {
        return Boolean.TRUE.equals(ACTIVE.get());
    }
}
