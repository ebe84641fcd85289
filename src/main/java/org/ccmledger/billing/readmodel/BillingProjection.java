package org.ccmledger.billing.readmodel;

import java.time.YearMonth;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;

import org.axonframework.config.ProcessingGroup;
import org.axonframework.eventhandling.DomainEventMessage;
import org.axonframework.eventhandling.EventHandler;
import org.axonframework.eventhandling.ResetHandler;
import org.bson.Document;
import org.bson.types.Binary;
import org.ccmledger.billing.api.EventRef;
import org.ccmledger.billing.rules.PatientBillingRecord;
import org.ccmledger.patient.EnrollmentId;
import org.ccmledger.platform.axon.EventJson;
import org.ccmledger.platform.axon.LedgerJson;
import org.ccmledger.platform.axon.ReadModelBatches;
import org.ccmledger.platform.axon.VersionedReadModel;
import org.springframework.stereotype.Component;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.mongodb.client.MongoCollection;
import com.mongodb.client.MongoDatabase;
import com.mongodb.client.model.BulkWriteOptions;
import com.mongodb.client.model.Filters;
import com.mongodb.client.model.ReplaceOneModel;
import com.mongodb.client.model.ReplaceOptions;
import com.mongodb.client.model.UpdateOneModel;
import com.mongodb.client.model.UpdateOptions;
import com.mongodb.client.model.Updates;

/**
 * The billing read model, kept by the {@value #PROCESSING_GROUP} tracking processor: one document per patient holding
 * its {@link PatientBillingRecord} (the facts billing decides with, each with the event it came from), and one per
 * practice-month listing the patients with care time, visits or statements in it. Every read is a key lookup or an
 * {@code $in} on {@code _id}.
 * <p>
 * Totals are not stored: a patient-month is evaluated from the record when asked, with the same
 * {@link org.ccmledger.billing.rules.MonthEvaluator} that closes months and verifies statements, so the view and the statement cannot disagree
 * on the rules. An event delivered again is ignored (the record keeps the last sequence per stream). Reset clears
 * both collections; a replay rebuilds them.
 */
@Component
@ProcessingGroup(BillingProjection.PROCESSING_GROUP)
public class BillingProjection implements VersionedReadModel {

    public static final String PROCESSING_GROUP = "billing";
    /**
     * The documents a practice-month's patient list is spread over, by the patient id's hash: a batch adds its
     * patients to a few small lists. In one list of every patient of the month, each batch had the server copy and
     * compare the whole list (for 4,000 patients, two fifths of its work in a rebuild of billing).
     */
    static final int MONTH_BUCKETS = 64;
    private static final String BATCH = "billing-read-model-batch";

    /** Early events kept whole, with their stable type names, until their stream catches up. */
    private static final PatientBillingRecord.Codec CODEC = new PatientBillingRecord.Codec() {
        @Override
        public PatientBillingRecord.Pending encode(Object payload, EventRef ref) {
            Document stored = EventJson.document(payload);
            return new PatientBillingRecord.Pending(ref, stored.getString("type"), stored.getString("payload"));
        }

        @Override
        public Object decode(PatientBillingRecord.Pending pending) {
            return EventJson.payload(pending.type(), pending.payload());
        }
    };

    private final MongoCollection<Document> patients;
    private final MongoCollection<Document> months;
    private final ObjectMapper json;

    BillingProjection(MongoDatabase database) {
        this.patients = ReadModelBatches.collection(database, "rm_billing_patients");
        this.months = ReadModelBatches.collection(database, "rm_billing_practice_months");
        // the read-model mapper, whose reads keep no table of the records' many map keys: read through Jackson's
        // character parser, the cost of keeping its table small
        this.json = LedgerJson.mapper();
    }

    @Override
    public String processingGroup() {
        return PROCESSING_GROUP;
    }

    /**
     * 2: the record holds the consent, time-entry and calendar folds of the features' api packages. 3: the record is
     * stored as UTF-8 JSON bytes (BSON binary), not as a BSON string: the driver and the embedded server encode and
     * decode a string character by character, which made up a tenth of a rebuild's time; bytes are copied whole.
     * 4: a practice-month's patients spread over {@value #MONTH_BUCKETS} documents.
     */
    @Override
    public int readModelVersion() {
        return 4;
    }

    /**
     * The records and practice-months one batch of events changed: each record read once and written once per batch
     * (a patient's events tend to come together), in one bulk write per collection ({@link ReadModelBatches}).
     */
    private final class Changes implements ReadModelBatches.Batch {
        private final Map<String, PatientBillingRecord> records = new HashMap<>();
        /** The records changed since the last flush, by key, each with the months it touched as it was read. */
        private final Map<String, Changed> changed = new LinkedHashMap<>();
        /** The enrollment of each stream the batch's events come from, worked out (and its ids validated) once. */
        private final Map<String, Optional<EnrollmentId>> enrollments = new HashMap<>();

        /** A changed record's enrollment and the months it touched before: their lists already hold its patient. */
        private record Changed(EnrollmentId enrollment, Set<YearMonth> monthsBefore) {
        }

        /** Reads ahead the records of every patient the batch's events concern, with one {@code $in}. */
        Changes() {
            Set<String> keys = new LinkedHashSet<>();
            for (var message : ReadModelBatches.messages()) {
                if (message instanceof DomainEventMessage<?> domain) {
                    enrollmentOf(domain.getAggregateIdentifier()).ifPresent(id -> keys.add(id.toString()));
                }
            }
            if (keys.size() > 1) {
                for (Document d : patients.find(Filters.in("_id", new ArrayList<>(keys)))) {
                    records.put(d.getString("_id"), read(d));
                }
                keys.forEach(key -> records.putIfAbsent(key, PatientBillingRecord.empty()));
            }
        }

        Optional<EnrollmentId> enrollmentOf(String aggregateIdentifier) {
            return enrollments.computeIfAbsent(aggregateIdentifier, BillingProjection::enrollmentOfStream);
        }

        PatientBillingRecord record(String key) {
            return records.computeIfAbsent(key, k -> load(k).orElseGet(PatientBillingRecord::empty));
        }

        void changed(EnrollmentId enrollment, PatientBillingRecord record) {
            String key = enrollment.toString();
            changed.computeIfAbsent(key, k -> new Changed(enrollment, records.get(k).monthsTouched()));
            records.put(key, record);
        }

        /**
         * The month lists first, then the records: a stored record's months always list its patient, so only a month
         * a record touches for the first time is written (a batch handled again after a failure between the two
         * writes finds the months it had listed missing from the record and lists them again, which changes nothing).
         */
        @Override
        public void flush() {
            Map<String, Set<String>> monthPatients = new LinkedHashMap<>();
            changed.forEach((key, change) -> {
                EnrollmentId enrollment = change.enrollment();
                for (YearMonth month : records.get(key).monthsTouched()) {
                    if (!change.monthsBefore().contains(month)) {
                        monthPatients.computeIfAbsent(monthKey(enrollment.practiceId().value(), month,
                                                               enrollment.patientId().value()),
                                                      k -> new LinkedHashSet<>())
                                     .add(enrollment.patientId().value());
                    }
                }
            });
            if (!monthPatients.isEmpty()) {
                List<UpdateOneModel<Document>> writes = new ArrayList<>(monthPatients.size());
                monthPatients.forEach((month, ids) -> writes.add(new UpdateOneModel<>(
                        Filters.eq("_id", month), Updates.addEachToSet("patients", new ArrayList<>(ids)),
                        new UpdateOptions().upsert(true))));
                months.bulkWrite(writes, new BulkWriteOptions().ordered(false));
            }
            if (!changed.isEmpty()) {
                List<ReplaceOneModel<Document>> writes = new ArrayList<>(changed.size());
                for (String key : changed.keySet()) {
                    writes.add(new ReplaceOneModel<>(Filters.eq("_id", key), document(key, records.get(key)),
                                                     new ReplaceOptions().upsert(true)));
                }
                patients.bulkWrite(writes, new BulkWriteOptions().ordered(false));
                changed.clear();
            }
        }
    }

    @EventHandler
    void on(Object payload, DomainEventMessage<?> message) {
        Changes changes = ReadModelBatches.current(BATCH, Changes::new);
        Optional<EnrollmentId> enrollment = changes.enrollmentOf(message.getAggregateIdentifier());
        if (enrollment.isEmpty()) {
            return;
        }
        String key = enrollment.get().toString();
        Optional<PatientBillingRecord> after = changes.record(key).deliver(payload, BillingLedger.ref(message), CODEC);
        after.ifPresent(record -> changes.changed(enrollment.get(), record));
        ReadModelBatches.handled(changes);
    }

    /**
     * The enrollment a stream belongs to: {@code <practice>/<patient>} itself, its care plan
     * ({@code …/care-plan}) or one of its billing months ({@code …/billing/<yyyy-MM>}). Ids of practices and
     * patients hold no slash, so the first two segments are the enrollment.
     */
    public static Optional<EnrollmentId> enrollmentOfStream(String aggregateIdentifier) {
        if (aggregateIdentifier == null) {
            return Optional.empty();
        }
        String[] parts = aggregateIdentifier.split("/");
        if (parts.length < 2) {
            return Optional.empty();
        }
        return Optional.of(EnrollmentId.of(parts[0], parts[1]));
    }

    @ResetHandler
    @Override
    public void reset() {
        patients.deleteMany(new Document());
        months.deleteMany(new Document());
    }

    /** The patients of a practice with care time, an initiating visit or a statement in the month. */
    public List<String> patientsOf(String practiceId, YearMonth month) {
        List<String> keys = new ArrayList<>(MONTH_BUCKETS);
        for (int bucket = 0; bucket < MONTH_BUCKETS; bucket++) {
            keys.add(bucketKey(practiceId, month, bucket));
        }
        Set<String> patientIds = new java.util.TreeSet<>();
        for (Document doc : months.find(Filters.in("_id", keys))) {
            patientIds.addAll(doc.getList("patients", String.class));
        }
        return List.copyOf(patientIds);
    }

    /** The records of some patients of a practice, by patient id; patients not (yet) in the read model are absent. */
    public Map<String, PatientBillingRecord> records(String practiceId, List<String> patientIds) {
        Map<String, PatientBillingRecord> found = new TreeMap<>();
        List<String> keys = patientIds.stream().map(p -> EnrollmentId.of(practiceId, p).toString()).toList();
        for (Document d : patients.find(Filters.in("_id", keys))) {
            PatientBillingRecord record = read(d);
            if (record.enrolled()) {
                found.put(record.patientId(), record);
            }
        }
        return found;
    }

    public Optional<PatientBillingRecord> record(EnrollmentId id) {
        return load(id.toString()).filter(PatientBillingRecord::enrolled);
    }

    private Optional<PatientBillingRecord> load(String key) {
        return Optional.ofNullable(patients.find(Filters.eq("_id", key)).first()).map(this::read);
    }

    private PatientBillingRecord read(Document d) {
        try {
            // a string: written by version 2, which a node not yet upgraded may still write (docs/operations.md, upgrades)
            return d.get("record") instanceof Binary bytes
                    ? json.readValue(bytes.getData(), PatientBillingRecord.class)
                    : json.readValue(d.getString("record"), PatientBillingRecord.class);
        } catch (java.io.IOException e) {
            throw new IllegalStateException("unreadable billing record " + d.get("_id").hashCode(), e);
        }
    }

    private Document document(String key, PatientBillingRecord record) {
        try {
            return new Document("_id", key).append("record", new Binary(json.writeValueAsBytes(record)));
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("billing record not serialisable", e);
        }
    }

    /** The document of the practice-month's list that holds the patient: {@code <practice>|<yyyy-MM>|<bucket>}. */
    static String monthKey(String practiceId, YearMonth month, String patientId) {
        return bucketKey(practiceId, month, Math.floorMod(patientId.hashCode(), MONTH_BUCKETS));
    }

    private static String bucketKey(String practiceId, YearMonth month, int bucket) {
        return practiceId + "|" + month + "|" + bucket;
    }
}
