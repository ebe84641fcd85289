package org.ccmledger.platform.axon;

import java.util.function.Function;

import org.axonframework.config.EventProcessingModule;
import org.axonframework.eventhandling.EventHandlerInvoker;
import org.axonframework.eventhandling.EventProcessor;
import org.axonframework.eventhandling.TrackedEventMessage;
import org.axonframework.eventhandling.TrackingEventProcessorConfiguration;
import org.axonframework.eventhandling.TrackingToken;
import org.axonframework.eventhandling.WrappedToken;
import org.axonframework.messaging.StreamableMessageSource;

/**
 * Axon's event-processing module with one change: a tracking processor whose tokens are created (its first start, or
 * its rebuild once {@link ReadModelVersions} removed them) starts where its configuration says, with plain tokens
 * rather than in Axon's replay state.
 * <p>
 * Since Axon 4.6 a new tracking processor starts at a {@code ReplayToken} that wraps every token until the head it
 * found, so that handlers marked {@code @DisallowReplay} can skip the history. No handler here tells a replay from live
 * handling (none is so marked or asks for its replay status), so the wrapper decided nothing and cost a rebuild: every
 * event's token wrapped and compared with that head, and Axon's batch loop, compiled for the plain tokens of live
 * handling, compiled again for the wrapped ones. Billing's first rebuild after a start ran at 0.39–0.43× the store's
 * replay with it, 0.45–0.61× without (docs/performance.md, "Twentieth session"). {@code ArchitectureTest} keeps
 * every handler from asking whether it replays.
 * <p>
 * What the configuration asked for is kept: its start position (the tail unless set, so the whole ledger is read) with
 * only the replay wrapper taken off; a start that is not a replay (the head, a position) stays as it is. Axon's saga
 * configuration, a constant of its module shared by the JVM, would be wrapped as well, with no effect: it starts at the
 * head, which has no wrapper. The service has no sagas.
 */
public class PlainStartProcessing extends EventProcessingModule {

    @Override
    protected EventProcessor trackingEventProcessor(String name, EventHandlerInvoker eventHandlerInvoker,
                                                    TrackingEventProcessorConfiguration config,
                                                    StreamableMessageSource<TrackedEventMessage<?>> source) {
        return super.trackingEventProcessor(name, eventHandlerInvoker, withoutReplayWrapper(config), source);
    }

    /**
     * The configuration, its initial token unwrapped from any {@code ReplayToken}: the processors of Axon's default
     * configuration share one instance, so it is changed once.
     */
    static TrackingEventProcessorConfiguration withoutReplayWrapper(TrackingEventProcessorConfiguration config) {
        if (config.getInitialTrackingToken() instanceof Unwrapped) {
            return config;
        }
        return config.andInitialTrackingToken(new Unwrapped(config.getInitialTrackingToken()));
    }

    /** The configured initial token, less the replay wrapper: the position the replay would have started from. */
    private record Unwrapped(Function<StreamableMessageSource<TrackedEventMessage<?>>, TrackingToken> configured)
            implements Function<StreamableMessageSource<TrackedEventMessage<?>>, TrackingToken> {

        @Override
        public TrackingToken apply(StreamableMessageSource<TrackedEventMessage<?>> source) {
            return WrappedToken.unwrapLowerBound(configured.apply(source));
        }
    }
}
