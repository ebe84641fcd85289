package org.ccmledger.caretime;

import java.time.YearMonth;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

import org.bson.Document;
import org.bson.conversions.Bson;
import org.ccmledger.caretime.api.CareMinutesCorrected;
import org.ccmledger.caretime.api.CareMinutesLogged;
import org.ccmledger.caretime.api.CareMinutesVoided;
import org.ccmledger.patient.EnrollmentId;
import org.ccmledger.patient.PatientEvent;
import org.ccmledger.platform.axon.ReadModelBatches;

import com.mongodb.ErrorCategory;
import com.mongodb.MongoWriteException;
import com.mongodb.client.MongoCollection;
import com.mongodb.client.model.BulkWriteOptions;
import com.mongodb.client.model.Filters;
import com.mongodb.client.model.Projections;
import com.mongodb.client.model.InsertOneModel;
import com.mongodb.client.model.UpdateOneModel;
import com.mongodb.client.model.UpdateOptions;
import com.mongodb.client.model.Updates;

/**
 * What one batch of events changes ({@link ReadModelBatches}): the patients' kept events and zones, the months'
 * entry links and the entries, each read at most once and written in one bulk write per collection. Outside a
 * batch (a test calling the handlers) each event is written at once.
 */
final class MinuteChanges implements ReadModelBatches.Batch {

    private static final Bson ZONE = Projections.include("timeZone");

    private final MongoCollection<Document> entries;
    private final MongoCollection<Document> months;
    private final MongoCollection<Document> patients;
    private final Map<String, List<Document>> kept = new LinkedHashMap<>();
    private final Map<String, String> zones = new HashMap<>();
    private final Map<String, Set<String>> monthLinks = new LinkedHashMap<>();
    private final Map<String, Entry> entryChanges = new LinkedHashMap<>();
    /** The entries read ahead for the batch (a key absent here was not read ahead; mapped to null: not stored). */
    private final Map<String, Document> readAhead = new HashMap<>();

    /** Reads ahead the zones and entries the batch's events concern, with one {@code $in} each. */
    MinuteChanges(MongoCollection<Document> entries, MongoCollection<Document> months,
                  MongoCollection<Document> patients) {
        this.entries = entries;
        this.months = months;
        this.patients = patients;
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
            // the zone only: a patient's document also keeps its calendar events whole
            for (Document d : patients.find(Filters.in("_id", new ArrayList<>(patientKeys))).projection(ZONE)) {
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
    final class Entry {
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
                .ofNullable(patients.find(Filters.eq("_id", k)).projection(ZONE).first())
                .map(d -> d.getString("timeZone"))
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

    static String entryKey(EnrollmentId id, String entryId) {
        return id + "|" + entryId;
    }
    
    static String monthKey(EnrollmentId id, YearMonth month) {
        return id + "|" + month;
    }
}
