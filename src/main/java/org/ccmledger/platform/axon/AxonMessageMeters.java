package org.ccmledger.platform.axon;

import java.time.Duration;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicLongArray;
import java.util.function.Function;

import org.axonframework.commandhandling.CommandBus;
import org.axonframework.eventhandling.EventBus;
import org.axonframework.eventhandling.EventMessage;
import org.axonframework.eventhandling.EventProcessor;
import org.axonframework.messaging.Message;
import org.axonframework.micrometer.GlobalMetricRegistry;
import org.axonframework.monitoring.MessageMonitor;

import io.micrometer.core.instrument.Clock;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Tags;
import io.micrometer.core.instrument.Timer;

/**
 * Axon's message metrics under the names and tags Axon's dimensional Micrometer monitors publish (what the dashboard
 * and the alerts read), with each meter registered once and kept, instead of looked up in the registry for every
 * message by every monitor (Axon builds and registers about ten meters per message per component: with seven
 * processors that was a fifth of an import's CPU, docs/performance.md).
 * <ul>
 * <li>{@code commandBus}: {@code successCounter}, {@code failureCounter}, {@code ingestedCounter},
 * {@code processedCounter} and {@code allTimer} (with Axon's client-side quantiles), tagged {@code payloadType};</li>
 * <li>{@code eventStore}: {@code allTimer} tagged {@code payloadType}; its counters untagged, as Axon has them;</li>
 * <li>{@code eventProcessor}: {@code successCounter}, {@code failureCounter}, {@code ignoredCounter},
 * {@code ingestedCounter}, {@code processedCounter}, {@code allTimer} (no quantiles: seven processors time every
 * event), {@code latency} (milliseconds from the last event's timestamp to when the processor took it in) and
 * {@code capacity} (the busy fraction of one thread over the last ten minutes), tagged {@code processorName} only.</li>
 * </ul>
 * Tags carry class and processor names, never data. Other components get Axon's own monitors.
 */
public class AxonMessageMeters extends GlobalMetricRegistry {

    static final String PAYLOAD_TYPE = "payloadType";
    static final String PROCESSOR_NAME = "processorName";
    private static final double[] QUANTILES = {0.5, 0.75, 0.95, 0.98, 0.99, 0.999};
    private static final Duration QUANTILE_WINDOW = Duration.ofMinutes(10);

    private final MeterRegistry registry;
    private final Clock clock;

    public AxonMessageMeters(MeterRegistry registry) {
        super(registry);
        this.registry = registry;
        this.clock = registry.config().clock();
    }

    @Override
    public MessageMonitor<? extends Message<?>> registerComponentWithDefaultTags(Class<?> componentType,
                                                                                String componentName) {
        if (EventProcessor.class.isAssignableFrom(componentType)) {
            return new ProcessorMonitor(componentName);
        }
        if (CommandBus.class.isAssignableFrom(componentType)) {
            return new ByPayloadType(payloadType -> new TypeMeters(
                    new Counts(componentName, Tags.of(PAYLOAD_TYPE, payloadType)),
                    timer(componentName, Tags.of(PAYLOAD_TYPE, payloadType), true)));
        }
        if (EventBus.class.isAssignableFrom(componentType)) {
            Counts untagged = new Counts(componentName, Tags.empty());
            return new ByPayloadType(payloadType -> new TypeMeters(
                    untagged, timer(componentName, Tags.of(PAYLOAD_TYPE, payloadType), false)));
        }
        return super.registerComponentWithDefaultTags(componentType, componentName);
    }

    private Timer timer(String component, Tags tags, boolean quantiles) {
        Timer.Builder builder = Timer.builder(component + ".allTimer").tags(tags);
        if (quantiles) {
            builder = builder.publishPercentiles(QUANTILES).distributionStatisticExpiry(QUANTILE_WINDOW);
        }
        return builder.register(registry);
    }

    /** A component's counters with one set of tags. */
    private final class Counts {

        final Counter ingested;
        final Counter processed;
        final Counter success;
        final Counter failure;
        final Counter ignored;

        Counts(String component, Tags tags) {
            ingested = registry.counter(component + ".ingestedCounter", tags);
            processed = registry.counter(component + ".processedCounter", tags);
            success = registry.counter(component + ".successCounter", tags);
            failure = registry.counter(component + ".failureCounter", tags);
            ignored = registry.counter(component + ".ignoredCounter", tags);
        }
    }

    /** One payload type's meters. */
    private record TypeMeters(Counts counts, Timer all) {
    }

    /** Counts and times each message under its payload type's meters, registered on the type's first message. */
    private final class ByPayloadType implements MessageMonitor<Message<?>> {

        private final Map<Class<?>, TypeMeters> byType = new ConcurrentHashMap<>();
        private final Function<String, TypeMeters> create;

        ByPayloadType(Function<String, TypeMeters> create) {
            this.create = create;
        }

        @Override
        public MonitorCallback onMessageIngested(Message<?> message) {
            TypeMeters meters = byType.computeIfAbsent(message.getPayloadType(),
                                                       type -> create.apply(type.getSimpleName()));
            meters.counts().ingested.increment();
            long start = clock.monotonicTime();
            return new Finish(meters.counts(), meters.all(), start, null);
        }
    }

    private static final long LATENCY_EVERY_NANOS = 100_000_000L;

    /** An event processor's meters: tagged with its name only, so no lookup per event. */
    private final class ProcessorMonitor implements MessageMonitor<Message<?>> {

        private final Counts counts;
        private final Timer all;
        private final AtomicLong latencyMillis = new AtomicLong();
        /** When the latency was last taken (monotonic): at most every {@link #LATENCY_EVERY_NANOS}. */
        private volatile long latencyTakenAt;
        private final BusyWindow busy;

        ProcessorMonitor(String processor) {
            Tags tags = Tags.of(PROCESSOR_NAME, processor);
            counts = new Counts("eventProcessor", tags);
            all = timer("eventProcessor", tags, false);
            busy = new BusyWindow(clock);
            latencyTakenAt = clock.monotonicTime() - LATENCY_EVERY_NANOS;
            Gauge.builder("eventProcessor.latency", latencyMillis, AtomicLong::get).tags(tags).register(registry);
            Gauge.builder("eventProcessor.capacity", busy, BusyWindow::fraction).tags(tags).register(registry);
        }

        @Override
        public MonitorCallback onMessageIngested(Message<?> message) {
            counts.ingested.increment();
            long now = clock.monotonicTime();
            // a gauge scraped every few seconds: an event read from the store carries its timestamp as text, parsed
            // on first use (1 % of what an import allocated when taken for every event)
            if (message instanceof EventMessage<?> event && now - latencyTakenAt >= LATENCY_EVERY_NANOS) {
                latencyTakenAt = now;
                latencyMillis.set(Math.max(0, clock.wallTime() - event.getTimestamp().toEpochMilli()));
            }
            return new Finish(counts, all, now, busy);
        }
    }

    /** What happened to one message: counted and timed once it is reported. */
    private final class Finish implements MessageMonitor.MonitorCallback {

        private final Counts counts;
        private final Timer all;
        private final long start;
        private final BusyWindow busy;

        Finish(Counts counts, Timer all, long start, BusyWindow busy) {
            this.counts = counts;
            this.all = all;
            this.start = start;
            this.busy = busy;
        }

        private void done(Counter outcome) {
            long took = clock.monotonicTime() - start;
            all.record(took, TimeUnit.NANOSECONDS);
            outcome.increment();
            counts.processed.increment();
            if (busy != null) {
                busy.add(took);
            }
        }

        @Override
        public void reportSuccess() {
            done(counts.success);
        }

        @Override
        public void reportFailure(Throwable cause) {
            done(counts.failure);
        }

        @Override
        public void reportIgnored() {
            done(counts.ignored);
        }
    }

    /**
     * Time spent handling messages over the last ten one-minute buckets, as a fraction of that time: 1 is one thread
     * busy all along (more than 1 when segments run side by side).
     */
    static final class BusyWindow {

        private static final int BUCKETS = 10;
        private static final long BUCKET_NANOS = TimeUnit.MINUTES.toNanos(1);

        private final Clock clock;
        private final long started;
        private final AtomicLongArray busyNanos = new AtomicLongArray(BUCKETS);
        private final AtomicLongArray bucketMinute = new AtomicLongArray(BUCKETS);

        BusyWindow(Clock clock) {
            this.clock = clock;
            this.started = clock.monotonicTime();
        }

        void add(long nanos) {
            long minute = (clock.monotonicTime() - started) / BUCKET_NANOS;
            int slot = (int) (minute % BUCKETS);
            long was = bucketMinute.get(slot);
            if (was != minute && bucketMinute.compareAndSet(slot, was, minute)) {
                busyNanos.set(slot, 0);
            }
            busyNanos.addAndGet(slot, nanos);
        }

        double fraction() {
            long elapsed = clock.monotonicTime() - started;
            long minute = elapsed / BUCKET_NANOS;
            long sum = 0;
            for (int slot = 0; slot < BUCKETS; slot++) {
                if (minute - bucketMinute.get(slot) < BUCKETS) {
                    sum += busyNanos.get(slot);
                }
            }
            long window = Math.min(elapsed, BUCKETS * BUCKET_NANOS);
            return window <= 0 ? 0 : (double) sum / window;
        }
    }
}
