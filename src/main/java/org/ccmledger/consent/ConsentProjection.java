package org.ccmledger.consent;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.UUID;

import org.axonframework.config.ProcessingGroup;
import org.axonframework.eventhandling.EventHandler;
import org.axonframework.eventhandling.ResetHandler;
import org.axonframework.eventhandling.SequenceNumber;
import org.axonframework.queryhandling.QueryHandler;
import org.bson.Document;
import org.ccmledger.consent.api.ConsentDeclined;
import org.ccmledger.consent.api.ConsentEnd;
import org.ccmledger.consent.api.ConsentPeriod;
import org.ccmledger.consent.api.ConsentPeriods;
import org.ccmledger.consent.api.ConsentRecorded;
import org.ccmledger.consent.api.ConsentRevoked;
import org.ccmledger.consent.api.ConsentView;
import org.ccmledger.consent.api.FindConsents;
import org.ccmledger.consent.api.PatientConsents;
import org.ccmledger.patient.BillingPractitionerChanged;
import org.ccmledger.patient.EnrollmentId;
import org.ccmledger.patient.PatientEnrolled;
import org.ccmledger.patient.PatientEvent;
import org.ccmledger.platform.axon.EventJson;
import org.ccmledger.platform.axon.ReadModelBatches;
import org.ccmledger.platform.axon.VersionedReadModel;
import org.ccmledger.platform.problem.Refusal;
import org.springframework.stereotype.Component;

import com.mongodb.client.MongoCollection;
import com.mongodb.client.MongoDatabase;
import com.mongodb.client.model.BulkWriteOptions;
import com.mongodb.client.model.Filters;
import com.mongodb.client.model.ReplaceOneModel;
import com.mongodb.client.model.ReplaceOptions;
import com.mongodb.client.model.UpdateOneModel;
import com.mongodb.client.model.UpdateOptions;
import com.mongodb.client.model.Updates;
import com.mongodb.client.model.WriteModel;

/**
 * Each patient's consent decisions (R8), kept by its own tracking processor: every consent accepted or declined,
 * every revocation and every billing-practitioner change, which ends the former practitioner's consent.
 * <p>
 * Two kinds of documents, each read and written by key: one per enrolled patient ({@code <enrollment>}, in
 * {@code rm_consent_patients}, with the sequence numbers of its consent events) and one per event
 * ({@code <enrollment>|<sequence>}, in {@code rm_consent_events}). A query reads the patient and then its events by
 * key and folds them in sequence order, as the enrollment aggregate does: a revocation or a practitioner change ends
 * the consent in force for that practitioner ({@link ConsentPeriods}, the fold the aggregate, billing and audit use).
 * Events are stored whole under their aggregate sequence number and the list only gains numbers ({@code $addToSet}), so an event delivered again, or out of order, gives the same answer.
 */
@Component
@ProcessingGroup(ConsentProjection.PROCESSING_GROUP)
class ConsentProjection implements VersionedReadModel {

    static final String PROCESSING_GROUP = "consents";
    private static final String BATCH = "consents-batch";
    private static final int MAX_KEYS_PER_READ = 100;

    private final MongoCollection<Document> patients;
    private final MongoCollection<Document> events;

    ConsentProjection(MongoDatabase database) {
        this.patients = ReadModelBatches.collection(database, "rm_consent_patients");
        this.events = ReadModelBatches.collection(database, "rm_consent_events");
    }

    /** The batch's writes: events before the patient lists that name them ({@link ReadModelBatches}). */
    private ReadModelBatches.OrderedWrites writes() {
        return ReadModelBatches.writes(BATCH, events, patients);
    }

    @EventHandler
    void on(PatientEnrolled event) {
        ReadModelBatches.OrderedWrites writes = writes();
        writes.add(patients, new UpdateOneModel<>(Filters.eq("_id", event.enrollmentId().toString()),
                                                   Updates.setOnInsert("events", List.of()),
                                                   new UpdateOptions().upsert(true)));
        ReadModelBatches.handled(writes);
    }

    /*
     * A consent decision, revocation or practitioner change (ConsentPeriods.EVENTS but the enrollment): kept whole under
     * its sequence number. Only these types are handled, so no other patient event (care time, a care plan, a
     * statement) is read for this read model (ConsentHandlersTest holds the list to the fold's).
     */

    @EventHandler
    void on(ConsentRecorded event, @SequenceNumber Long sequence) {
        keep(event, sequence);
    }

    @EventHandler
    void on(ConsentDeclined event, @SequenceNumber Long sequence) {
        keep(event, sequence);
    }

    @EventHandler
    void on(ConsentRevoked event, @SequenceNumber Long sequence) {
        keep(event, sequence);
    }

    @EventHandler
    void on(BillingPractitionerChanged event, @SequenceNumber Long sequence) {
        keep(event, sequence);
    }

    private void keep(PatientEvent event, long sequence) {
        ReadModelBatches.OrderedWrites writes = writes();
        store(writes, event.enrollmentId(), sequence, event);
        // every event of a batch comes to one of the handlers, so the batch's last one writes it
        ReadModelBatches.handled(writes);
    }

    /** 2: events are kept whole and folded by {@link ConsentPeriods}. */
    @Override
    public int readModelVersion() {
        return 2;
    }

    @Override
    public String processingGroup() {
        return PROCESSING_GROUP;
    }

    @ResetHandler
    @Override
    public void reset() {
        patients.deleteMany(new Document());
        events.deleteMany(new Document());
    }

    @QueryHandler
    PatientConsents handle(FindConsents query) {
        EnrollmentId id = query.enrollmentId();
        Document patient = patients.find(Filters.eq("_id", id.toString())).first();
        if (patient == null) {
            throw Refusal.notFound("UNKNOWN_PATIENT", "no such patient in this practice");
        }
        List<String> keys = patient.getList("events", Number.class, List.of()).stream()
                                   .map(sequence -> eventKey(id, sequence.longValue())).toList();
        List<Document> stored = new ArrayList<>();
        for (int from = 0; from < keys.size(); from += MAX_KEYS_PER_READ) {
            events.find(Filters.in("_id", keys.subList(from, Math.min(keys.size(), from + MAX_KEYS_PER_READ))))
                  .forEach(stored::add);
        }
        stored.sort(Comparator.comparingLong(document -> document.get("sequence", Number.class).longValue()));
        return new PatientConsents(id.practiceId().value(), id.patientId().value(), fold(id, stored));
    }

    /**
     * The consent decisions the events make, folded in sequence order by the consent fold every part of the ledger uses
     * ({@link ConsentPeriods}): a revocation or practitioner change ends the consent in force for that practitioner.
     */
    private static List<ConsentView> fold(EnrollmentId id, List<Document> inSequence) {
        ConsentPeriods<Long> periods = ConsentPeriods.none();
        for (Document stored : inSequence) {
            periods = periods.apply(EventJson.payload(stored), stored.get("sequence", Number.class).longValue());
        }
        return periods.decisions().stream().map(decision -> view(id, decision)).toList();
    }

    /** A decision as the API shows it. */
    static ConsentView view(EnrollmentId id, ConsentPeriod<Long> decision) {
        ConsentEnd<Long> end = decision.end();
        return new ConsentView(consentId(id, decision.source()), decision.decision(), decision.status(),
                               decision.method(), decision.obtainedAt(), decision.obtainedBy(),
                               decision.practitioner(), decision.documentRef(), decision.disclosures(),
                               decision.until(),
                               end != null && end.kind() == ConsentEnd.Kind.REVOKED
                                       ? new ConsentView.Revocation(end.revokedAt(), end.effectiveAt(), end.reason())
                                       : null,
                               end != null && end.kind() == ConsentEnd.Kind.PRACTITIONER_CHANGED
                                       ? new ConsentView.PractitionerChange(end.effectiveAt(),
                                                                            end.nextPractitioner())
                                       : null);
    }

    /** A consent decision's id: a name-based UUID of its place in the ledger, which names no patient. */
    static String consentId(EnrollmentId id, long sequence) {
        return UUID.nameUUIDFromBytes(("urn:ccm-ledger:consent|" + id + "|" + sequence)
                                              .getBytes(StandardCharsets.UTF_8)).toString();
    }

    private void store(ReadModelBatches.OrderedWrites writes, EnrollmentId id, long sequence, Object event) {
        String key = eventKey(id, sequence);
        writes.add(events, new ReplaceOneModel<>(Filters.eq("_id", key), EventJson.document(event).append("_id", key)
                                                                                   .append("sequence", sequence),
                                                  new ReplaceOptions().upsert(true)));
        writes.add(patients, new UpdateOneModel<>(Filters.eq("_id", id.toString()),
                                                   Updates.addToSet("events", sequence),
                                                   new UpdateOptions().upsert(true)));
    }

    private static String eventKey(EnrollmentId id, long sequence) {
        return id + "|" + sequence;
    }
}
