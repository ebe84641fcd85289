package org.ccmledger.caretime;

import java.time.Instant;
import java.time.YearMonth;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.Date;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

import org.axonframework.config.ProcessingGroup;
import org.axonframework.eventhandling.EventHandler;
import org.axonframework.eventhandling.ResetHandler;
import org.axonframework.eventhandling.SequenceNumber;
import org.axonframework.queryhandling.QueryHandler;
import org.bson.Document;
import org.bson.conversions.Bson;
import org.ccmledger.caretime.api.CareCalendar;
import org.ccmledger.caretime.api.CareMinutesCorrected;
import org.ccmledger.caretime.api.CareMinutesLogged;
import org.ccmledger.caretime.api.CareMinutesVoided;
import org.ccmledger.caretime.api.CountableMinutes;
import org.ccmledger.caretime.api.FindMonthlyMinutes;
import org.ccmledger.caretime.api.MonthShare;
import org.ccmledger.caretime.api.MonthlyMinutes;
import org.ccmledger.caretime.api.Performer;
import org.ccmledger.caretime.api.PerformerRole;
import org.ccmledger.caretime.api.TimeEntry;
import org.ccmledger.consent.api.ConsentPeriods;
import org.ccmledger.consent.api.PractitionerPeriod;
import org.ccmledger.patient.EnrollmentId;
import org.ccmledger.patient.PatientEnrolled;
import org.ccmledger.patient.PatientEvent;
import org.ccmledger.platform.axon.EventJson;
import org.ccmledger.platform.axon.ReadModelBatches;
import org.ccmledger.platform.axon.VersionedReadModel;
import org.ccmledger.platform.problem.Refusal;
import org.springframework.stereotype.Component;

import com.mongodb.ErrorCategory;
import com.mongodb.MongoWriteException;
import com.mongodb.client.MongoCollection;
import com.mongodb.client.MongoDatabase;
import com.mongodb.client.model.BulkWriteOptions;
import com.mongodb.client.model.Filters;
import com.mongodb.client.model.InsertOneModel;
import com.mongodb.client.model.UpdateOneModel;
import com.mongodb.client.model.UpdateOptions;
import com.mongodb.client.model.Updates;

/**
 * Countable minutes per patient per calendar month, kept by a tracking processor and counted when asked by
 * {@link CountableMinutes}, the function billing counts with: corrections and voids applied (P4), each clock minute
 * once (P2), in the billing location's month (P3), inpatient days (R4), time after death or disenrollment and time
 * without consent (R8) left out, and the billing practitioner's own time apart (R3).
 * <p>
 * Three kinds of documents, each read and written by key: one per patient ({@code <enrollment>}: its zone and the
 * events that decide when time counts — enrollment, consent, practitioner changes, stays, death, disenrollment — kept
 * whole under their sequence numbers and folded in order when asked); one per time entry ({@code <enrollment>|<entryId>}:
 * its performer, current start and length, whether voided, and the sequence number of the last event applied); and
 * one per month ({@code <enrollment>|<yyyy-MM>}: the ids of the entries that ever fell in it). An entry changes only
 * through an event with a higher sequence number, in one conditional update, and the other writes only add, so events
 * delivered twice or out of order give the same totals.
 */
@Component
@ProcessingGroup(MonthlyMinutesProjection.PROCESSING_GROUP)
class MonthlyMinutesProjection implements VersionedReadModel {

    static final String PROCESSING_GROUP = "monthly-minutes";
    private static final String BATCH = "monthly-minutes-batch";

    private final MongoCollection<Document> entries;
    private final MongoCollection<Document> months;
    private final MongoCollection<Document> patients;

    MonthlyMinutesProjection(MongoDatabase database) {
        this.entries = ReadModelBatches.collection(database, "rm_time_entries");
        this.months = ReadModelBatches.collection(database, "rm_monthly_minutes");
        this.patients = ReadModelBatches.collection(database, "rm_patient_zones");
    }

    @Override
    public String processingGroup() {
        return PROCESSING_GROUP;
    }

    /** 2: entries keep their performer; the patient keeps the events that decide when time counts. */
    @Override
    public int readModelVersion() {
        return 2;
    }

    /**
     * What one batch of events changes ({@link ReadModelBatches}): the patients' kept events and zones, the months'
     * entry links and the entries, each read at most once and written in one bulk write per collection. Outside a
     * batch (a test calling the handlers) each event is written at once.
     */
    private final class Changes implements ReadModelBatches.Batch {
        private final Map<String, List<Document>> kept = new LinkedHashMap<>();
        private final Map<String, String> zones = new HashMap<>();
        private final Map<String, Set<String>> monthLinks = new LinkedHashMap<>();
        private final Map<String, Entry> entryChanges = new LinkedHashMap<>();
        /** The entries read ahead for the batch (a key absent here was not read ahead; mapped to null: not stored). */
        private final Map<String, Document> readAhead = new HashMap<>();

        /** Reads ahead the zones and entries the batch's events concern, with one {@code $in} each. */
        Changes() {
            Set<String> patientKeys = new LinkedHashSet<>();
            Set<String> entryKeys = new LinkedHashSet<>();
            for (var message : ReadModelBatches.messages()) {
                Object payload = message.getPayload();
                if (payload instanceof PatientEvent event) {
                    patientKeys.add(event.enrollmentId().toString());
                }
                if (payload instanceof CareMinutesLogged e) {
                    entryKeys.add(entryKey(e.enrollmentId(), e.entryId().value()));
                } else if (payload instanceof CareMinutesCorrected e) {
                    entryKeys.add(entryKey(e.enrollmentId(), e.entryId().value()));
                } else if (payload instanceof CareMinutesVoided e) {
                    entryKeys.add(entryKey(e.enrollmentId(), e.entryId().value()));
                }
            }
            if (patientKeys.size() > 1) {
                for (Document d : patients.find(Filters.in("_id", new ArrayList<>(patientKeys)))) {
                    if (d.getString("timeZone") != null) {
                        zones.put(d.getString("_id"), d.getString("timeZone"));
                    }
                }
            }
            if (entryKeys.size() > 1) {
                entryKeys.forEach(key -> readAhead.put(key, null));
                for (Document d : entries.find(Filters.in("_id", new ArrayList<>(entryKeys)))) {
                    readAhead.put(d.getString("_id"), d);
                }
            }
        }

        /** An entry as the database had it when the batch first touched it, and what the batch sets on it. */
        private final class Entry {
            final String entryId;
            final long storedSequence;
            final boolean stored;
            Document fields = new Document();
            long sequence = -1;
            Document performer;

            Entry(String key, String entryId) {
                this.entryId = entryId;
                Document current = readAhead.containsKey(key) ? readAhead.get(key)
                        : entries.find(Filters.eq("_id", key)).first();
                Number applied = current == null ? null : current.get("sequence", Number.class);
                this.stored = current != null;
                this.storedSequence = applied == null ? -1 : applied.longValue();
            }

            /** Applies the event's fields unless the entry already reflects it or a later event. */
            void apply(long eventSequence, Document set) {
                if (eventSequence <= Math.max(storedSequence, sequence)) {
                    return;
                }
                fields.putAll(set);
                sequence = eventSequence;
            }
        }

        void keep(EnrollmentId enrollment, Document event, String timeZone) {
            kept.computeIfAbsent(enrollment.toString(), k -> new ArrayList<>()).add(event);
            if (timeZone != null) {
                zones.put(enrollment.toString(), timeZone);
            }
        }

        ZoneId zone(EnrollmentId enrollment) {
            String zone = zones.computeIfAbsent(enrollment.toString(), k -> Optional
                    .ofNullable(patients.find(Filters.eq("_id", k)).first()).map(d -> d.getString("timeZone"))
                    .orElse(null));
            if (zone == null) {
                throw new IllegalStateException("care time for an enrollment the projection has not seen");
            }
            return ZoneId.of(zone);
        }

        void link(EnrollmentId enrollment, YearMonth month, String entryId) {
            monthLinks.computeIfAbsent(monthKey(enrollment, month), k -> new LinkedHashSet<>()).add(entryId);
        }

        Entry entry(EnrollmentId enrollment, String entryId) {
            return entryChanges.computeIfAbsent(entryKey(enrollment, entryId), key -> new Entry(key, entryId));
        }

        @Override
        public void flush() {
            if (!kept.isEmpty()) {
                List<UpdateOneModel<Document>> writes = new ArrayList<>();
                kept.forEach((key, events) -> {
                    List<Bson> changes = new ArrayList<>(List.of(Updates.addEachToSet("events", events)));
                    String zone = zones.get(key);
                    if (zone != null) {
                        changes.add(Updates.set("timeZone", zone));
                    }
                    writes.add(new UpdateOneModel<>(Filters.eq("_id", key), Updates.combine(changes),
                                                    new UpdateOptions().upsert(true)));
                });
                patients.bulkWrite(writes, new BulkWriteOptions().ordered(false));
                kept.clear();
            }
            // month links before the entries, unconditionally (they only ever grow): a failure between the two
            // writes is repaired by the redelivery, which the entries' sequence guard would otherwise turn away
            if (!monthLinks.isEmpty()) {
                List<UpdateOneModel<Document>> writes = new ArrayList<>();
                monthLinks.forEach((key, ids) -> writes.add(new UpdateOneModel<>(
                        Filters.eq("_id", key), Updates.addEachToSet("entries", new ArrayList<>(ids)),
                        new UpdateOptions().upsert(true))));
                months.bulkWrite(writes, new BulkWriteOptions().ordered(false));
                monthLinks.clear();
            }
            if (!entryChanges.isEmpty()) {
                writeEntries();
                entryChanges.clear();
            }
            // the zones stay known for the rest of the batch
        }

        /**
         * A new entry is inserted by key; an existing one changes through the guarded update (only an event with a
         * higher sequence changes it), its performer apart from the guard.
         */
        private void writeEntries() {
            List<InsertOneModel<Document>> inserts = new ArrayList<>();
            List<Map.Entry<String, Entry>> updates = new ArrayList<>();
            for (Map.Entry<String, Entry> change : entryChanges.entrySet()) {
                Entry entry = change.getValue();
                if (!entry.stored && entry.sequence >= 0) {
                    Document document = new Document("_id", change.getKey()).append("entryId", entry.entryId);
                    document.putAll(entry.fields);
                    document.append("sequence", entry.sequence);
                    if (entry.performer != null) {
                        document.putAll(entry.performer);
                    }
                    inserts.add(new InsertOneModel<>(document));
                } else {
                    updates.add(change);
                }
            }
            if (!inserts.isEmpty()) {
                try {
                    entries.bulkWrite(inserts, new BulkWriteOptions().ordered(false));
                } catch (com.mongodb.MongoBulkWriteException e) {
                    for (var error : e.getWriteErrors()) {
                        if (ErrorCategory.fromErrorCode(error.getCode()) != ErrorCategory.DUPLICATE_KEY) {
                            throw e;
                        }
                        // inserted meanwhile by another writer: the guarded update decides
                        String key = inserts.get(error.getIndex()).getDocument().getString("_id");
                        updates.add(Map.entry(key, entryChanges.get(key)));
                    }
                }
            }
            for (Map.Entry<String, Entry> change : updates) {
                Entry entry = change.getValue();
                if (entry.performer != null) {
                    entries.updateOne(Filters.eq("_id", change.getKey()), new Document("$set", entry.performer));
                }
                if (entry.sequence >= 0) {
                    Document set = new Document(entry.fields).append("sequence", entry.sequence)
                                                             .append("entryId", entry.entryId);
                    try {
                        entries.updateOne(Filters.and(Filters.eq("_id", change.getKey()),
                                                      Filters.lt("sequence", entry.sequence)),
                                          new Document("$set", set), new UpdateOptions().upsert(true));
                    } catch (MongoWriteException e) {
                        if (e.getError().getCategory() != ErrorCategory.DUPLICATE_KEY) {
                            throw e;
                        }
                        // the entry already reflects this event or a later one
                    }
                }
            }
        }
    }

    private Changes changes() {
        return ReadModelBatches.current(BATCH, Changes::new);
    }

    /**
     * An event that decides when the patient's time counts ({@link CareCalendar}, {@link ConsentPeriods}): kept whole
     * under its sequence number; the enrollment also gives the zone that places entries in months.
     */
    @EventHandler
    void on(PatientEvent event, @SequenceNumber Long sequence) {
        Changes changes = changes();
        if (event instanceof PatientEnrolled enrolled) {
            changes.keep(event.enrollmentId(), EventJson.document(event).append("sequence", sequence),
                         enrolled.timeZone().getId());
        } else if (CareCalendar.concerns(event) || ConsentPeriods.concerns(event)) {
            changes.keep(event.enrollmentId(), EventJson.document(event).append("sequence", sequence), null);
        }
        ReadModelBatches.handled(changes);
    }

    @EventHandler
    void on(CareMinutesLogged event, @SequenceNumber Long sequence) {
        Changes changes = changes();
        place(changes, event.enrollmentId(), event.entryId().value(), event.startedAt(), event.minutes(), sequence);
        // the performer never changes: set apart from the sequence guard, so an early correction cannot hide it
        changes.entry(event.enrollmentId(), event.entryId().value()).performer =
                new Document("performerId", event.performer().id()).append("role", event.performer().role().name());
        ReadModelBatches.handled(changes);
    }

    @EventHandler
    void on(CareMinutesCorrected event, @SequenceNumber Long sequence) {
        Changes changes = changes();
        place(changes, event.enrollmentId(), event.entryId().value(), event.startedAt(), event.minutes(), sequence);
        ReadModelBatches.handled(changes);
    }

    @EventHandler
    void on(CareMinutesVoided event, @SequenceNumber Long sequence) {
        Changes changes = changes();
        changes.entry(event.enrollmentId(), event.entryId().value()).apply(sequence, new Document("voided", true));
        ReadModelBatches.handled(changes);
    }

    /** Records where an entry lies in time; the months it touches list it, its minutes are counted when asked. */
    private static void place(Changes changes, EnrollmentId enrollment, String entryId, Instant startedAt,
                              int minutes, long sequence) {
        for (MonthShare share : MonthShare.split(startedAt, minutes, changes.zone(enrollment))) {
            changes.link(enrollment, share.month(), entryId);
        }
        changes.entry(enrollment, entryId).apply(sequence, new Document("startedAt", Date.from(startedAt))
                .append("minutes", minutes));
    }

    @ResetHandler
    @Override
    public void reset() {
        entries.deleteMany(new Document());
        months.deleteMany(new Document());
        patients.deleteMany(new Document());
    }

    @QueryHandler
    MonthlyMinutes handle(FindMonthlyMinutes query) {
        EnrollmentId id = query.enrollmentId();
        Document patient = patients.find(Filters.eq("_id", id.toString())).first();
        if (patient == null || patient.getString("timeZone") == null) {
            throw Refusal.notFound("UNKNOWN_PATIENT", "no such patient in this practice");
        }
        CareCalendar<Void> calendar = CareCalendar.none();
        ConsentPeriods<Void> consents = ConsentPeriods.none();
        List<Document> kept = new ArrayList<>(patient.getList("events", Document.class, List.of()));
        kept.sort(Comparator.comparingLong(d -> d.get("sequence", Number.class).longValue()));
        for (Document stored : kept) {
            Object event = EventJson.payload(stored);
            calendar = calendar.apply(event, null);
            consents = consents.apply(event, null);
        }
        List<TimeEntry<Void>> inMonth = entriesOf(id, query.month());
        CountableMinutes.Totals best = new CountableMinutes.Totals(0, 0, 0, List.of());
        if (!consents.practitioners().isEmpty()) {
            for (PractitionerPeriod<Void> period : consents.practitionersDuring(calendar.monthStart(query.month()),
                                                                                calendar.monthEnd(query.month()))) {
                CountableMinutes.Totals totals = CountableMinutes.of(query.month(), period.npi(), calendar, consents,
                                                                     inMonth);
                if (totals.counted() >= best.counted()) {
                    best = totals;
                }
            }
        }
        return new MonthlyMinutes(id.practiceId().value(), id.patientId().value(), query.month(), best.counted(),
                                  best.entryIds(), best.counted(), best.staff(), best.billingPractitioner());
    }

    /** The entries that ever fell in the month, as they stand; an entry whose logging has not arrived is left out. */
    private List<TimeEntry<Void>> entriesOf(EnrollmentId id, YearMonth month) {
        Document linked = months.find(Filters.eq("_id", monthKey(id, month))).first();
        List<TimeEntry<Void>> found = new ArrayList<>();
        if (linked == null) {
            return found;
        }
        List<String> keys = linked.getList("entries", String.class).stream().map(e -> entryKey(id, e)).toList();
        for (Document entry : entries.find(Filters.in("_id", keys))) {
            if (entry.getString("role") == null || entry.getDate("startedAt") == null) {
                continue;
            }
            found.add(new TimeEntry<>(entry.getString("entryId"),
                                      new Performer(entry.getString("performerId"),
                                                    PerformerRole.valueOf(entry.getString("role"))),
                                      entry.getDate("startedAt").toInstant(), entry.getInteger("minutes"),
                                      Boolean.TRUE.equals(entry.getBoolean("voided")), List.of()));
        }
        return found;
    }

    private static String entryKey(EnrollmentId id, String entryId) {
        return id + "|" + entryId;
    }

    private static String monthKey(EnrollmentId id, YearMonth month) {
        return id + "|" + month;
    }
}
