package org.ccmledger.audit;

import java.lang.management.ManagementFactory;
import java.lang.management.MemoryMXBean;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Iterator;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;

import org.axonframework.eventhandling.EventMessage;
import org.axonframework.eventhandling.GapAwareTrackingToken;
import org.axonframework.eventhandling.GenericDomainEventMessage;
import org.axonframework.messaging.MetaData;
import org.axonframework.serialization.Serializer;
import org.axonframework.serialization.json.JacksonSerializer;
import org.bson.Document;
import org.ccmledger.caretime.api.CareActivity;
import org.ccmledger.caretime.api.CareMinutesLogged;
import org.ccmledger.caretime.api.Performer;
import org.ccmledger.caretime.api.PerformerRole;
import org.ccmledger.caretime.api.TimeEntryId;
import org.ccmledger.patient.EnrollmentId;
import org.ccmledger.ledger.LedgerFixture;
import org.ccmledger.ledger.MongoEventStorageEngine;
import org.ccmledger.ledger.MongoTokenStore;
import org.ccmledger.platform.axon.LedgerJson;
import org.ccmledger.platform.axon.StoredEventPayloads;

import com.mongodb.client.MongoCollection;
import com.mongodb.client.MongoDatabase;

/**
 * One practice's ledger at audit scale, for the streaming tests: care-time events of many patients appended through
 * the real {@link MongoEventStorageEngine} in large commits, and the audit index the {@link AuditIndexProjection}
 * keeps for them. Everything is synthetic: no patient data, and nothing of a payload is ever printed.
 * <p>
 * The projection writes the index with two upserts per event, which the embedded server manages at a few hundred
 * events/s: far too slow for 100,000 events in a test. So the index is built here as the projection builds it (its
 * {@link AuditIndexProjection#owner owner} and {@link AuditIndexProjection#key key}, one global index per event in its
 * bucket, ascending) and written in bulk; {@code AuditLogStreamingTest} checks that for whole buckets it is the
 * projection's own index, document for document.
 */
final class LargePractice {

    static final String PRACTICE = "scale-practice";
    /** The Jackson mapper the service serializes events with. */
    static final Serializer SERIALIZER = JacksonSerializer.builder().objectMapper(LedgerJson.mapper()).build();
    /** Patients appended together in one commit, their events interleaved. */
    static final int PATIENTS_PER_COMMIT = 10;
    /** The processors of the service, each given a token at the head so that none replays the fill. */
    static final List<String> PROCESSORS = List.of("patients", AuditIndexProjection.PROCESSING_GROUP,
                                                   "monthly-minutes", "billing", "billing-adjustments",
                                                   "care-plans");
    private static final String POSTINGS = "rm_audit_postings";
    /** Events held to measure what holding a whole result would take. */
    private static final int SAMPLE = 5_000;
    private static final Instant PERFORMED = Instant.parse("2026-03-02T15:00:00Z");
    /** A free-text note of a realistic length (some 340 characters). */
    private static final String NOTE = "Synthetic load-test entry. Reviewed the medication list and the recent "
            + "laboratory results with the care team, coordinated a refill with the pharmacy, updated the care plan "
            + "goals and the symptom management section, confirmed transport for the next visit, sent the summary "
            + "to the billing practitioner and scheduled the follow-up call for next week.";

    /**
     * The appended events and how long it took.
     *
     * @param first         the first event's global index
     * @param last          the last event's global index
     * @param appendNanos   appending through the engine
     * @param indexNanos    building and writing the index
     * @param postings      index documents written
     */
    record Filled(long first, long last, long appendNanos, long indexNanos, int postings) {
    }

    private LargePractice() {
    }

    /**
     * Appends {@code events} care-time events of {@code patients} patients ({@code events / patients} each) and
     * indexes them. The store must be empty and nobody else may append meanwhile: the global indexes of a commit are
     * then the ones after the previous commit's.
     */
    static Filled fill(LedgerFixture store, int events, int patients) {
        if (events % patients != 0 || patients % PATIENTS_PER_COMMIT != 0) {
            throw new IllegalArgumentException("events must divide among patients, patients into commits of "
                                                       + PATIENTS_PER_COMMIT);
        }
        MongoEventStorageEngine engine = store.engineBuilder().eventSerializer(SERIALIZER)
                                              .snapshotSerializer(SERIALIZER).build();
        int perPatient = events / patients;
        Map<String, List<Long>> postings = new TreeMap<>();
        long started = System.nanoTime();
        long first = -1;
        long last = -1;
        for (int commitStart = 0; commitStart < patients; commitStart += PATIENTS_PER_COMMIT) {
            List<EventMessage<?>> commit = new ArrayList<>(PATIENTS_PER_COMMIT * perPatient);
            for (int sequence = 0; sequence < perPatient; sequence++) {
                for (int p = commitStart; p < commitStart + PATIENTS_PER_COMMIT; p++) {
                    commit.add(event(p, sequence, p * perPatient + sequence));
                }
            }
            engine.appendEvents(commit);
            last = store.collections().highestReserved();
            long index = last - commit.size() + 1;
            first = first < 0 ? index : first;
            for (EventMessage<?> message : commit) {
                post(postings, message, index++);
            }
        }
        long appended = System.nanoTime();
        List<Document> documents = new ArrayList<>(postings.size());
        postings.forEach((key, indexes) -> documents.add(new Document("_id", key).append("idx", indexes)));
        MongoCollection<Document> collection = store.database().getCollection(POSTINGS);
        for (int from = 0; from < documents.size(); from += 1_000) {
            collection.insertMany(documents.subList(from, Math.min(documents.size(), from + 1_000)));
        }
        return new Filled(first, last, appended - started, System.nanoTime() - appended, documents.size());
    }

    /** What the projection adds for an event at a global index: the index, in its practice's and patient's bucket. */
    static void post(Map<String, List<Long>> postings, EventMessage<?> message, long index) {
        AuditIndexProjection.owner(message.getPayload(), message).ifPresent(owner -> {
            postings.computeIfAbsent(AuditIndexProjection.key(owner[0], AuditIndexProjection.ALL,
                                                              index / AuditIndexProjection.BUCKET),
                                     key -> new ArrayList<>()).add(index);
            if (owner[1] != null) {
                postings.computeIfAbsent(AuditIndexProjection.key(owner[0], owner[1],
                                                                  index / AuditIndexProjection.BUCKET),
                                         key -> new ArrayList<>()).add(index);
            }
        });
    }

    /** A care-time entry of patient number {@code patient}: the {@code sequence}th event of their stream. */
    static EventMessage<?> event(int patient, long sequence, long n) {
        String patientId = patientId(patient);
        CareMinutesLogged payload = new CareMinutesLogged(
                EnrollmentId.of(PRACTICE, patientId), new TimeEntryId("e-" + n),
                new Performer("rn-" + (n % 7), PerformerRole.CLINICAL_STAFF), PERFORMED.plusSeconds(60 * n),
                5 + (int) (n % 20), CareActivity.CARE_COORDINATION, NOTE);
        return new GenericDomainEventMessage<>("PatientEnrollment", PRACTICE + "/" + patientId, sequence, payload,
                                               MetaData.with("actor", "rn-" + (n % 7)).and("requestId", "req-" + n));
    }

    static String patientId(int patient) {
        return String.format(Locale.ROOT, "pt-%04d", patient);
    }

    /** Tokens at {@code head} for every processor of the service, as if each had handled the fill already. */
    static void tokensAtHead(MongoDatabase database, long head) {
        MongoTokenStore tokens = MongoTokenStore.builder().database(database).serializer(SERIALIZER)
                                                .nodeId("large-practice").build();
        GapAwareTrackingToken token = GapAwareTrackingToken.newInstance(head, Collections.emptySet());
        PROCESSORS.forEach(processor -> tokens.initializeTokenSegments(processor, 1, token));
    }

    /** The service's reader of stored payloads (its constructor is for Spring only). */
    static StoredEventPayloads payloads() {
        try {
            var constructor = StoredEventPayloads.class.getDeclaredConstructor(Serializer.class);
            constructor.setAccessible(true);
            return constructor.newInstance(SERIALIZER);
        } catch (ReflectiveOperationException e) {
            throw new IllegalStateException(e);
        }
    }

    /** The practice's events, of one type or all, after the cursor. */
    static EventQuery query(String type, long after, int limit) {
        return new EventQuery(PRACTICE, null, type, null, null, null, null, null, after, limit);
    }

    /**
     * What holding {@code events} events of the practice's result as {@link AuditEvent}s would take: the first
     * {@value #SAMPLE} of them, as the log builds them, held and measured after GC, times {@code events / SAMPLE}.
     * (In this JVM: the objects the service would hold, as the service's JVM lays them out.)
     */
    static long bytesToHold(AuditLog log, int events) {
        // read them once unheld first: a store in this JVM caches what it reads, which is not the result
        Iterator<AuditEvent> warmUp = log.events(query(null, 0, EventQuery.MAX_LIMIT));
        for (int i = 0; i < SAMPLE && warmUp.hasNext(); i++) {
            warmUp.next();
        }
        warmUp = null;
        MemoryMXBean memory = ManagementFactory.getMemoryMXBean();
        long before = usedAfterGc(memory);
        List<AuditEvent> held = new ArrayList<>(SAMPLE);
        Iterator<AuditEvent> result = log.events(query(null, 0, EventQuery.MAX_LIMIT));
        while (held.size() < SAMPLE && result.hasNext()) {
            held.add(result.next());
        }
        result = null; // what the iterator buffers is not part of the result
        long used = usedAfterGc(memory) - before;
        if (held.size() < SAMPLE) {
            throw new IllegalStateException("the practice has fewer than " + SAMPLE + " events");
        }
        return Math.max(0, used) / SAMPLE * events;
    }

    static long usedAfterGc(MemoryMXBean memory) {
        System.gc();
        return memory.getHeapMemoryUsage().getUsed();
    }

    /** CPU time of this JVM so far: on a busy machine a better guide than wall time to what a run costs. */
    static long cpuNanos() {
        return ManagementFactory.getOperatingSystemMXBean() instanceof com.sun.management.OperatingSystemMXBean os
                ? os.getProcessCpuTime() : -1;
    }

    static double seconds(long nanos) {
        return nanos / 1e9;
    }

    static void print(String format, Object... args) {
        System.out.println("[audit-at-scale] " + String.format(Locale.ROOT, format, args));
    }
}
