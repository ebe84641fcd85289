package org.ccmledger.caretime;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Instant;
import java.time.YearMonth;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.Collections;
import java.util.IdentityHashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.TreeMap;
import java.util.concurrent.atomic.AtomicLong;

import org.axonframework.eventhandling.EventMessage;
import org.axonframework.eventhandling.GenericEventMessage;
import org.axonframework.messaging.unitofwork.BatchingUnitOfWork;
import org.axonframework.messaging.unitofwork.CurrentUnitOfWork;
import org.ccmledger.caretime.api.CareActivity;
import org.ccmledger.caretime.api.CareMinutesCorrected;
import org.ccmledger.caretime.api.CareMinutesLogged;
import org.ccmledger.caretime.api.CareMinutesVoided;
import org.ccmledger.caretime.api.FindMonthlyMinutes;
import org.ccmledger.caretime.api.Performer;
import org.ccmledger.caretime.api.PerformerRole;
import org.ccmledger.caretime.api.TimeEntryId;
import org.ccmledger.consent.api.ConsentMethod;
import org.ccmledger.consent.api.ConsentRecorded;
import org.ccmledger.consent.api.Disclosures;
import org.ccmledger.patient.ChronicCondition;
import org.ccmledger.patient.EnrollmentId;
import org.ccmledger.patient.Npi;
import org.ccmledger.patient.PatientEnrolled;
import org.ccmledger.ledger.LedgerFixture;

import net.jqwik.api.ForAll;
import net.jqwik.api.Label;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.IntRange;
import net.jqwik.api.lifecycle.AfterContainer;
import net.jqwik.api.lifecycle.BeforeContainer;

/**
 * For random histories of entries, corrections and voids, the monthly-minutes projection's totals equal a
 * brute-force reference computed minute by minute straight from the events, whatever order the events of the
 * entries arrive in (P2, P3, P4), one at a time or in a tracking processor's batches delivered again; and a replay into
 * an empty read model gives the same totals.
 */
class MonthlyMinutesPropertyTest {

    private static final ZoneId ZONE = ZoneId.of("America/New_York");
    /** Around a month end that is also the end of daylight saving time in New York (1 November 2026). */
    private static final Instant WINDOW_START = Instant.parse("2026-10-30T00:00:00Z");
    private static final List<YearMonth> MONTHS = List.of(YearMonth.of(2026, 10), YearMonth.of(2026, 11));
    private static final AtomicLong PATIENTS = new AtomicLong();

    private static LedgerFixture store;

    @BeforeContainer
    static void startStore() {
        store = LedgerFixture.inMemory();
    }

    @AfterContainer
    static void stopStore() {
        store.close();
    }

    /** One event of the history, with the aggregate sequence number the store would give it. */
    private record Numbered(Object event, long sequence) {
    }

    @Property(tries = 60)
    @Label("P2/P3/P4: projection totals equal a minute-by-minute reference (each minute once), in any delivery order")
    void totalsEqualTheReferenceInAnyDeliveryOrder(@ForAll @IntRange(min = 1, max = 12) int entryCount,
                                                   @ForAll @IntRange(min = 0, max = 12) int changeCount,
                                                   @ForAll long seed) {
        Random random = new Random(seed);
        EnrollmentId id = EnrollmentId.of("prop", "pt-" + PATIENTS.incrementAndGet());
        List<Numbered> history = history(id, entryCount, changeCount, random);
        Map<YearMonth, Integer> reference = reference(history);

        MonthlyMinutesProjection projection = new MonthlyMinutesProjection(store.database());
        MonthlyMinutesQueries queries = new MonthlyMinutesQueries(store.database());
        enroll(projection, id);
        List<Numbered> shuffled = new ArrayList<>(history);
        Collections.shuffle(shuffled, random);
        shuffled.forEach(n -> deliver(projection, n));
        shuffled.forEach(n -> deliver(projection, n)); // and everything once more

        for (YearMonth month : MONTHS) {
            assertThat(queries.handle(new FindMonthlyMinutes(id, month)).minutes())
                    .as("%s after %d events delivered out of order", month, history.size())
                    .isEqualTo(reference.getOrDefault(month, 0));
        }
    }

    @Property(tries = 20)
    @Label("a replay into an empty read model gives identical totals")
    void aReplayFromEmptyGivesIdenticalTotals(@ForAll @IntRange(min = 1, max = 10) int entryCount,
                                              @ForAll @IntRange(min = 0, max = 10) int changeCount,
                                              @ForAll long seed) {
        Random random = new Random(seed);
        EnrollmentId id = EnrollmentId.of("replay", "pt-" + PATIENTS.incrementAndGet());
        List<Numbered> history = history(id, entryCount, changeCount, random);
        MonthlyMinutesProjection projection = new MonthlyMinutesProjection(store.database());
        MonthlyMinutesQueries queries = new MonthlyMinutesQueries(store.database());
        enroll(projection, id);
        history.forEach(n -> deliver(projection, n));
        Map<YearMonth, Integer> before = totals(queries, id);

        projection.reset();
        enroll(projection, id);
        history.forEach(n -> deliver(projection, n));

        assertThat(totals(queries, id)).isEqualTo(before).isEqualTo(withZeros(reference(history)));
    }

    @Property(tries = 40)
    @Label("P2/P3/P4: the same totals when events come in batches, each batch twice, enrollments in or before them")
    void totalsEqualTheReferenceWhenDeliveredInBatches(@ForAll @IntRange(min = 1, max = 12) int entryCount,
                                                       @ForAll @IntRange(min = 0, max = 12) int changeCount,
                                                       @ForAll boolean enrolledInTheFirstBatch,
                                                       @ForAll long seed) {
        Random random = new Random(seed);
        MonthlyMinutesProjection projection = new MonthlyMinutesProjection(store.database());
        MonthlyMinutesQueries queries = new MonthlyMinutesQueries(store.database());
        Map<EnrollmentId, List<Numbered>> histories = new LinkedHashMap<>();
        List<Numbered> enrollments = new ArrayList<>();
        List<Numbered> events = new ArrayList<>();
        for (int patient = 0; patient < 2; patient++) { // two, so that zones are read ahead with one $in
            EnrollmentId id = EnrollmentId.of("batch", "pt-" + PATIENTS.incrementAndGet());
            histories.put(id, history(id, entryCount, changeCount, random));
            events.addAll(histories.get(id));
            enrollments.add(new Numbered(enrolled(id), 0));
            enrollments.add(new Numbered(consent(id), 0));
        }
        Collections.shuffle(events, random);
        List<List<Numbered>> batches = new ArrayList<>();
        for (int from = 0; from < events.size(); ) {
            int to = Math.min(events.size(), from + 1 + random.nextInt(8));
            batches.add(new ArrayList<>(events.subList(from, to)));
            from = to;
        }
        if (enrolledInTheFirstBatch) {
            batches.get(0).addAll(0, enrollments);
        } else {
            deliverBatch(projection, enrollments);
        }
        for (List<Numbered> batch : batches) {
            deliverBatch(projection, batch);
            deliverBatch(projection, batch); // a batch rolled back after its writes comes again
        }
        deliverBatch(projection, events); // and a processor reset without clearing its read model

        histories.forEach((id, history) -> assertThat(totals(queries, id))
                .as("%d events in %d batches", history.size(), batches.size())
                .isEqualTo(withZeros(reference(history))));
    }

    /** Handles the events as one batch of a tracking processor: their writes are made when the last is handled. */
    private static void deliverBatch(MonthlyMinutesProjection projection, List<Numbered> batch) {
        Map<Object, Numbered> numbered = new IdentityHashMap<>();
        batch.forEach(n -> numbered.put(n.event(), n));
        BatchingUnitOfWork<EventMessage<?>> unitOfWork = new BatchingUnitOfWork<>(
                batch.stream().<EventMessage<?>>map(n -> GenericEventMessage.asEventMessage(n.event())).toList());
        var result = unitOfWork.executeWithResult(() -> {
            Numbered event = numbered.get(CurrentUnitOfWork.get().getMessage().getPayload());
            if (event.event() instanceof PatientEnrolled e) {
                projection.on(e, event.sequence());
            } else if (event.event() instanceof ConsentRecorded e) {
                projection.on(e, event.sequence());
            } else {
                deliver(projection, event);
            }
            return null;
        });
        assertThat(result.isExceptional()).as("the batch failed: %s", result.optionalExceptionResult()).isFalse();
    }

    private static Map<YearMonth, Integer> totals(MonthlyMinutesQueries queries, EnrollmentId id) {
        Map<YearMonth, Integer> totals = new TreeMap<>();
        MONTHS.forEach(m -> totals.put(m, queries.handle(new FindMonthlyMinutes(id, m)).minutes()));
        return totals;
    }

    private static Map<YearMonth, Integer> withZeros(Map<YearMonth, Integer> reference) {
        Map<YearMonth, Integer> all = new TreeMap<>();
        MONTHS.forEach(m -> all.put(m, reference.getOrDefault(m, 0)));
        return all;
    }

    /** Enrolled, with consent in force before the window: the aggregate accepts time only under consent (R8). */
    private static void enroll(MonthlyMinutesProjection projection, EnrollmentId id) {
        projection.on(enrolled(id), 0L);
        projection.on(consent(id), 0L);
    }

    private static ConsentRecorded consent(EnrollmentId id) {
        return new ConsentRecorded(id, ConsentMethod.VERBAL, WINDOW_START.minusSeconds(86_400), "rn",
                                   new Npi("1234567893"), null, new Disclosures(true, true, true, true));
    }

    private static PatientEnrolled enrolled(EnrollmentId id) {
        return new PatientEnrolled(id, new Npi("1234567893"), ZONE, List.of(
                new ChronicCondition("E11.9", "Type 2 diabetes", true, true),
                new ChronicCondition("I10", "Hypertension", true, true)), false);
    }

    /** A history the aggregate would accept: corrections and voids only of live entries. */
    private static List<Numbered> history(EnrollmentId id, int entryCount, int changeCount, Random random) {
        List<Numbered> events = new ArrayList<>();
        Map<String, Object[]> live = new LinkedHashMap<>(); // entryId -> {startedAt, minutes}
        long sequence = 1; // 0 is the enrollment
        for (int i = 0; i < entryCount; i++) {
            String entryId = "e" + i;
            Instant start = WINDOW_START.plusSeconds(60L * random.nextInt(4 * 24 * 60));
            int minutes = 1 + random.nextInt(180);
            events.add(new Numbered(new CareMinutesLogged(id, new TimeEntryId(entryId),
                                                          new Performer("rn", PerformerRole.CLINICAL_STAFF), start,
                                                          minutes, CareActivity.OTHER, null), sequence++));
            live.put(entryId, new Object[] {start, minutes});
        }
        for (int i = 0; i < changeCount && !live.isEmpty(); i++) {
            List<String> ids = new ArrayList<>(live.keySet());
            String entryId = ids.get(random.nextInt(ids.size()));
            Object[] current = live.get(entryId);
            if (random.nextInt(4) == 0) {
                events.add(new Numbered(new CareMinutesVoided(id, new TimeEntryId(entryId), "void"), sequence++));
                live.remove(entryId);
            } else {
                Instant start = random.nextBoolean() ? (Instant) current[0]
                        : WINDOW_START.plusSeconds(60L * random.nextInt(4 * 24 * 60));
                int minutes = 1 + random.nextInt(180);
                events.add(new Numbered(new CareMinutesCorrected(id, new TimeEntryId(entryId), (Instant) current[0],
                                                                 (int) current[1], start, minutes, "fix"),
                                        sequence++));
                live.put(entryId, new Object[] {start, minutes});
            }
        }
        return events;
    }

    /**
     * Applies the history in sequence order, then counts every clock minute of the live entries once (P2: the union of
     * their intervals) in its local month.
     */
    private static Map<YearMonth, Integer> reference(List<Numbered> history) {
        Map<String, Object[]> entries = new LinkedHashMap<>();
        history.stream().sorted((a, b) -> Long.compare(a.sequence(), b.sequence())).forEach(n -> {
            if (n.event() instanceof CareMinutesLogged e) {
                entries.put(e.entryId().value(), new Object[] {e.startedAt(), e.minutes()});
            } else if (n.event() instanceof CareMinutesCorrected e) {
                entries.put(e.entryId().value(), new Object[] {e.startedAt(), e.minutes()});
            } else if (n.event() instanceof CareMinutesVoided e) {
                entries.remove(e.entryId().value());
            }
        });
        java.util.Set<Instant> minutes = new java.util.HashSet<>();
        for (Object[] entry : entries.values()) {
            Instant start = (Instant) entry[0];
            for (int minute = 0; minute < (int) entry[1]; minute++) {
                minutes.add(start.plusSeconds(60L * minute));
            }
        }
        Map<YearMonth, Integer> months = new TreeMap<>();
        minutes.forEach(minute -> months.merge(YearMonth.from(minute.atZone(ZONE)), 1, Integer::sum));
        return months;
    }

    private static void deliver(MonthlyMinutesProjection projection, Numbered numbered) {
        if (numbered.event() instanceof CareMinutesLogged e) {
            projection.on(e, numbered.sequence());
        } else if (numbered.event() instanceof CareMinutesCorrected e) {
            projection.on(e, numbered.sequence());
        } else if (numbered.event() instanceof CareMinutesVoided e) {
            projection.on(e, numbered.sequence());
        }
    }
}
