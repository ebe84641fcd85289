package org.ccmledger.caretime;

import java.time.YearMonth;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
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
import org.ccmledger.patient.EnrollmentId;
import org.ccmledger.patient.PatientEnrolled;
import org.ccmledger.platform.axon.ReadModelBatches;

import com.mongodb.ErrorCategory;
import com.mongodb.MongoBulkWriteException;
import com.mongodb.bulk.BulkWriteError;
import com.mongodb.client.MongoCollection;
import com.mongodb.client.model.BulkWriteOptions;
import com.mongodb.client.model.Filters;
import com.mongodb.client.model.InsertOneModel;
import com.mongodb.client.model.Projections;
import com.mongodb.client.model.UpdateOneModel;
import com.mongodb.client.model.UpdateOptions;
import com.mongodb.client.model.Updates;
import com.mongodb.client.model.WriteModel;

/**
 * What one batch of events changes ({@link ReadModelBatches}): the patients' kept events and zones, the months'
 * entry links and the entries, written in one bulk write per collection. Nothing is read to write an entry: an entry
 * first logged in the batch is inserted, any other change is a guarded upsert the store itself decides (only an event
 * with a higher sequence changes an entry). The only read is the zone of a patient whose time the batch places and
 * whose enrollment is not in the batch, with one {@code $in} for them all. Outside a batch (a test calling the
 * handlers) each event is written at once.
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

    /**
     * Reads ahead, with one {@code $in}, the zones of the patients whose time the batch's events place and whose
     * enrollment (which carries the zone) is not among them: a rebuild meets a patient's enrollment in the batch of its
     * first entries and reads nothing.
     */
    MinuteChanges(MongoCollection<Document> entries, MongoCollection<Document> months,
                  MongoCollection<Document> patients) {
        this.entries = entries;
        this.months = months;
        this.patients = patients;
        Set<String> placed = new LinkedHashSet<>();
        Set<String> enrolled = new HashSet<>();
        for (var message : ReadModelBatches.messages()) {
            Object payload = message.getPayload();
            if (payload instanceof PatientEnrolled e) {
                enrolled.add(e.enrollmentId().toString());
            } else if (payload instanceof CareMinutesLogged e) {
                placed.add(e.enrollmentId().toString());
            } else if (payload instanceof CareMinutesCorrected e) {
                placed.add(e.enrollmentId().toString());
            }
        }
        placed.removeAll(enrolled);
        if (placed.size() > 1) {
            // the zone only: a patient's document also keeps its calendar events whole
            for (Document d : patients.find(Filters.in("_id", new ArrayList<>(placed))).projection(ZONE)) {
                if (d.getString("timeZone") != null) {
                    zones.put(d.getString("_id"), d.getString("timeZone"));
                }
            }
        }
    }

    /** What the batch sets on an entry; the store's copy is never read, its sequence guard decides. */
    static final class Entry {
        final String entryId;
        /** The entry was logged in this batch: inserted, unless another writer or an earlier delivery stored it. */
        boolean logged;
        Document fields = new Document();
        long sequence = -1;
        Document performer;

        Entry(String entryId) {
            this.entryId = entryId;
        }

        /** Applies the event's fields unless the batch already applied it or a later event of the entry. */
        void apply(long eventSequence, Document set) {
            if (eventSequence <= sequence) {
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
        return entryChanges.computeIfAbsent(entryKey(enrollment, entryId), key -> new Entry(entryId));
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
     * An entry logged in the batch is inserted by key. Every other change, and a logged entry already stored (by an
     * earlier delivery of its events), is a guarded upsert: the store applies it only over an older sequence, and an
     * entry already at this sequence or a later one refuses it as a duplicate key, which is ignored. The performer,
     * set apart from the guard, is set on a stored entry whatever its sequence (an early correction cannot hide it).
     */
    private void writeEntries() {
        List<InsertOneModel<Document>> inserts = new ArrayList<>();
        List<String> updates = new ArrayList<>();
        for (Map.Entry<String, Entry> change : entryChanges.entrySet()) {
            Entry entry = change.getValue();
            if (entry.logged && entry.sequence >= 0) {
                Document document = new Document("_id", change.getKey()).append("entryId", entry.entryId);
                document.putAll(entry.fields);
                document.append("sequence", entry.sequence);
                if (entry.performer != null) {
                    document.putAll(entry.performer);
                }
                inserts.add(new InsertOneModel<>(document));
            } else {
                updates.add(change.getKey());
            }
        }
        List<WriteModel<Document>> writes = new ArrayList<>();
        for (String key : storedAlready(inserts)) {
            Entry entry = entryChanges.get(key);
            if (entry.performer != null) {
                writes.add(new UpdateOneModel<>(Filters.eq("_id", key), new Document("$set", entry.performer)));
            }
            updates.add(key);
        }
        for (String key : updates) {
            Entry entry = entryChanges.get(key);
            if (entry.sequence >= 0) {
                Document set = new Document(entry.fields).append("sequence", entry.sequence)
                                                         .append("entryId", entry.entryId);
                Bson guard = Filters.and(Filters.eq("_id", key), Filters.lt("sequence", entry.sequence));
                writes.add(new UpdateOneModel<>(guard, new Document("$set", set), new UpdateOptions().upsert(true)));
            }
        }
        refusedAsDuplicates(writes); // a guarded upsert refused as a duplicate key was applied already
    }

    /** Inserts the entries logged in the batch; the keys of those already stored, whose insert was refused. */
    private List<String> storedAlready(List<InsertOneModel<Document>> inserts) {
        return refusedAsDuplicates(inserts).stream().map(i -> inserts.get(i).getDocument().getString("_id")).toList();
    }

    /** Writes to the entries, unordered; the positions of those refused as duplicate keys (any other error throws). */
    private List<Integer> refusedAsDuplicates(List<? extends WriteModel<Document>> writes) {
        if (writes.isEmpty()) {
            return List.of();
        }
        try {
            entries.bulkWrite(writes, new BulkWriteOptions().ordered(false));
            return List.of();
        } catch (MongoBulkWriteException e) {
            List<Integer> refused = new ArrayList<>();
            for (BulkWriteError error : e.getWriteErrors()) {
                if (ErrorCategory.fromErrorCode(error.getCode()) != ErrorCategory.DUPLICATE_KEY) {
                    throw e;
                }
                refused.add(error.getIndex());
            }
            return refused;
        }
    }

    static String entryKey(EnrollmentId id, String entryId) {
        return id + "|" + entryId;
    }
    
    static String monthKey(EnrollmentId id, YearMonth month) {
        return id + "|" + month;
    }
}
