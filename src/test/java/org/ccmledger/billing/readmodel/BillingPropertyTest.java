package org.ccmledger.billing.readmodel;

import static org.assertj.core.api.Assertions.assertThat;

import java.math.BigDecimal;
import java.time.Instant;
import java.time.YearMonth;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.concurrent.atomic.AtomicLong;

import org.axonframework.eventhandling.GenericDomainEventMessage;
import org.ccmledger.billing.rules.MonthEvaluator;
import org.ccmledger.billing.rules.PatientHistory;
import org.ccmledger.billing.rules.PatientHistory.Recorded;
import org.ccmledger.billing.rules.RuleDataRepository;
import org.ccmledger.billing.statement.BillingMonthTest;
import org.ccmledger.billing.api.MonthEvaluation;
import org.ccmledger.billing.api.StatementLine;
import org.ccmledger.caretime.api.CareMinutesCorrected;
import org.ccmledger.caretime.api.CareMinutesLogged;
import org.ccmledger.caretime.api.CareMinutesVoided;
import org.ccmledger.caretime.api.PerformerRole;
import org.ccmledger.ledger.LedgerFixture;

import net.jqwik.api.ForAll;
import net.jqwik.api.Label;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.IntRange;
import net.jqwik.api.lifecycle.AfterContainer;
import net.jqwik.api.lifecycle.BeforeContainer;

/**
 * For random histories of entries, corrections and voids by staff and the billing practitioner, the billing
 * projection's totals and lines equal a brute-force reference computed minute by minute straight from the events,
 * whatever order (and however often) the events are delivered; and a replay into an empty read model gives an
 * identical statement, equal to the one folded straight from the streams (P2, P3, P4, R1, R2, R3, P1).
 */
class BillingPropertyTest {

    private static final YearMonth MARCH = YearMonth.of(2025, 3);
    /** Around the end of March 2025 in New York, so entries cross the month end. */
    private static final Instant WINDOW_START = PatientHistory.at("2025-03-27T00:00");
    private static final AtomicLong RUNS = new AtomicLong();
    private static LedgerFixture store;
    private final MonthEvaluator evaluator = new MonthEvaluator(new RuleDataRepository(null)::forYear, npi -> false);

    @BeforeContainer
    static void startStore() {
        store = LedgerFixture.inMemory();
    }

    @AfterContainer
    static void stopStore() {
        store.close();
    }

    @Property(tries = 60)
    @Label("P2/P3/P4/R3: projection totals and lines equal a minute-by-minute reference, in any delivery order, and "
            + "every month touched lists the patient")
    void projectionEqualsReferenceInAnyDeliveryOrder(@ForAll @IntRange(min = 1, max = 10) int entryCount,
                                                     @ForAll @IntRange(min = 0, max = 10) int changeCount,
                                                     @ForAll long seed) {
        Random random = new Random(seed);
        PatientHistory history = history(entryCount, changeCount, random);
        BillingProjection projection = new BillingProjection(store.database());
        projection.reset();
        List<Recorded> delivery = new ArrayList<>(history.events());
        Collections.shuffle(delivery, random);
        delivery.addAll(delivery.subList(0, random.nextInt(delivery.size())));
        delivery.forEach(e -> deliver(projection, e));

        MonthEvaluation projected = evaluator.evaluate(projection.record(PatientHistory.ID).orElseThrow(), MARCH);
        int[] reference = reference(history);
        assertThat(projected.minutes().counted()).as("T").isEqualTo(reference[0]);
        assertThat(projected.minutes().billingPractitioner()).as("P").isEqualTo(reference[1]);
        assertThat(lines(projected.lines())).isEqualTo(referenceLines(reference[0], reference[1]));
        // each month the record touches lists the patient, though a month is written only when first touched
        for (YearMonth month : projection.record(PatientHistory.ID).orElseThrow().monthsTouched()) {
            assertThat(projection.patientsOf(PatientHistory.ID.practiceId().value(), month))
                    .as("%s", month).contains(PatientHistory.ID.patientId().value());
        }
    }

    @Property(tries = 20)
    @Label("a replay into an empty read model gives an identical statement, equal to the ledger's own fold")
    void replayGivesIdenticalStatement(@ForAll @IntRange(min = 1, max = 10) int entryCount,
                                       @ForAll @IntRange(min = 0, max = 10) int changeCount,
                                       @ForAll long seed) {
        Random random = new Random(seed);
        PatientHistory history = history(entryCount, changeCount, random);
        BillingProjection projection = new BillingProjection(store.database());
        projection.reset();
        history.events().forEach(e -> deliver(projection, e));
        MonthEvaluation before = evaluator.evaluate(projection.record(PatientHistory.ID).orElseThrow(), MARCH);

        projection.reset();
        List<Recorded> shuffled = new ArrayList<>(history.events());
        Collections.shuffle(shuffled, random);
        shuffled.forEach(e -> deliver(projection, e));
        MonthEvaluation after = evaluator.evaluate(projection.record(PatientHistory.ID).orElseThrow(), MARCH);

        assertThat(after).isEqualTo(before).isEqualTo(evaluator.evaluate(history.record(), MARCH));
        assertThat(BillingMonthTest.statement(new org.ccmledger.billing.api.BillingMonthId(PatientHistory.ID, MARCH),
                                              after))
                .isEqualTo(BillingMonthTest.statement(
                        new org.ccmledger.billing.api.BillingMonthId(PatientHistory.ID, MARCH), before));
    }

    private static void deliver(BillingProjection projection, Recorded recorded) {
        projection.on(recorded.payload(), new GenericDomainEventMessage<>(
                "Test", recorded.ref().aggregateId(), recorded.ref().sequence(), recorded.payload(),
                org.axonframework.messaging.MetaData.emptyInstance(), recorded.ref().eventId(), Instant.EPOCH));
    }

    /** A history the aggregate would accept: corrections and voids only of live entries. */
    private static PatientHistory history(int entryCount, int changeCount, Random random) {
        RUNS.incrementAndGet();
        PatientHistory history = PatientHistory.standard();
        Map<String, Object[]> live = new LinkedHashMap<>();
        for (int i = 0; i < entryCount; i++) {
            String entryId = "e" + i;
            Instant start = WINDOW_START.plusSeconds(60L * random.nextInt(7 * 24 * 60));
            int minutes = 1 + random.nextInt(60);
            PerformerRole role = random.nextInt(3) == 0 ? PerformerRole.BILLING_PRACTITIONER
                    : PerformerRole.CLINICAL_STAFF;
            history.log(entryId, role, start, minutes);
            live.put(entryId, new Object[] {start, minutes});
        }
        for (int i = 0; i < changeCount && !live.isEmpty(); i++) {
            List<String> ids = new ArrayList<>(live.keySet());
            String entryId = ids.get(random.nextInt(ids.size()));
            Object[] current = live.get(entryId);
            if (random.nextInt(4) == 0) {
                history.voidEntry(entryId);
                live.remove(entryId);
            } else {
                Instant start = random.nextBoolean() ? (Instant) current[0]
                        : WINDOW_START.plusSeconds(60L * random.nextInt(7 * 24 * 60));
                int minutes = 1 + random.nextInt(60);
                history.correct(entryId, (Instant) current[0], (int) current[1], start, minutes);
                live.put(entryId, new Object[] {start, minutes});
            }
        }
        return history;
    }

    /** T and P of March, counting every clock minute of every live entry once, from the events in stream order. */
    private static int[] reference(PatientHistory history) {
        Map<String, Object[]> entries = new LinkedHashMap<>(); // id -> {start, minutes, role}
        for (Recorded r : history.enrollmentStream()) {
            if (r.payload() instanceof CareMinutesLogged e) {
                entries.put(e.entryId().value(), new Object[] {e.startedAt(), e.minutes(), e.performer().role()});
            } else if (r.payload() instanceof CareMinutesCorrected e) {
                Object[] old = entries.get(e.entryId().value());
                entries.put(e.entryId().value(), new Object[] {e.startedAt(), e.minutes(), old[2]});
            } else if (r.payload() instanceof CareMinutesVoided e) {
                entries.remove(e.entryId().value());
            }
        }
        Set<Long> all = new HashSet<>();
        Set<Long> practitioner = new HashSet<>();
        for (Object[] entry : entries.values()) {
            long first = ((Instant) entry[0]).getEpochSecond() / 60;
            for (long m = first; m < first + (int) entry[1]; m++) {
                if (YearMonth.from(Instant.ofEpochSecond(m * 60).atZone(PatientHistory.NEW_YORK)).equals(MARCH)) {
                    all.add(m);
                    if (entry[2] == PerformerRole.BILLING_PRACTITIONER) {
                        practitioner.add(m);
                    }
                }
            }
        }
        return new int[] {all.size(), practitioner.size()};
    }

    /** R2 and P1 by hand with the 2025 amounts: 99490 $60.49 + 99439 $45.93 (cap 2); 99491 $82.16 + 99437 $57.58. */
    private static List<String> referenceLines(int t, int p) {
        BigDecimal staff = t < 20 ? null : new BigDecimal("60.49").add(new BigDecimal("45.93")
                .multiply(BigDecimal.valueOf(Math.min(2, (t - 20) / 20))));
        BigDecimal personal = p < 30 ? null : new BigDecimal("82.16").add(new BigDecimal("57.58")
                .multiply(BigDecimal.valueOf(Math.min(2, (p - 30) / 30))));
        List<String> lines = new ArrayList<>();
        if (staff == null && personal == null) {
            return lines;
        }
        if (personal == null || (staff != null && staff.compareTo(personal) >= 0)) {
            lines.add("99490x1");
            if (Math.min(2, (t - 20) / 20) > 0) {
                lines.add("99439x" + Math.min(2, (t - 20) / 20));
            }
        } else {
            lines.add("99491x1");
            if (Math.min(2, (p - 30) / 30) > 0) {
                lines.add("99437x" + Math.min(2, (p - 30) / 30));
            }
        }
        return lines;
    }

    private static List<String> lines(List<StatementLine> lines) {
        return lines.stream().map(l -> l.code() + "x" + l.units()).toList();
    }
}
