package org.ccmledger.audit;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import org.axonframework.config.ProcessingGroup;
import org.axonframework.eventhandling.DomainEventMessage;
import org.axonframework.eventhandling.EventHandler;
import org.axonframework.eventhandling.EventMessage;
import org.axonframework.eventhandling.ResetHandler;
import org.axonframework.eventhandling.TrackingToken;
import org.bson.Document;
import org.ccmledger.audit.api.PatientDataAccessed;
import org.ccmledger.platform.axon.ReadModelBatches;
import org.ccmledger.platform.axon.VersionedReadModel;
import org.springframework.stereotype.Component;

import com.mongodb.client.MongoCollection;
import com.mongodb.client.MongoDatabase;
import com.mongodb.client.model.BulkWriteOptions;
import com.mongodb.client.model.Filters;
import com.mongodb.client.model.UpdateOneModel;
import com.mongodb.client.model.UpdateOptions;
import com.mongodb.client.model.Updates;

/**
 * The index the event-log query walks, kept by the {@value #PROCESSING_GROUP} tracking processor: for each practice,
 * and for each patient of a practice, the global indexes of their events in buckets of {@value #BUCKET} consecutive
 * indexes ({@code <practice>|*|<bucket>} and {@code <practice>|<patient>|<bucket>}). A query reads the buckets from its
 * cursor on by key ({@code $in} on {@code _id}), then the events themselves by their global index, the events
 * collection's own key: nothing is ever scanned. Emergency reads are also posted under
 * {@code <practice>|!break-glass|<bucket>}: the list a compliance officer reviews. {@code $addToSet} makes a redelivered event harmless.
 */
@Component
@ProcessingGroup(AuditIndexProjection.PROCESSING_GROUP)
class AuditIndexProjection implements VersionedReadModel {

    static final String PROCESSING_GROUP = "audit-index";
    private static final String BATCH = "audit-index-batch";
    static final int BUCKET = 1024;
    static final String ALL = "*";
    /** The owner of a practice's emergency reads (no patient id can be spelt so). */
    static final String BREAK_GLASS = "!break-glass";

    private final MongoCollection<Document> postings;
    private final MongoCollection<Document> events;

    AuditIndexProjection(MongoDatabase database) {
        this.postings = ReadModelBatches.collection(database, "rm_audit_postings");
        this.events = database.getCollection("events");
    }

    /** An event to post: its owner, whether it is an emergency read, its id, and its tracking token's position. */
    private record Posting(String practice, String patient, boolean brokeGlass, String eventId, long position) {
    }

    /**
     * The postings one batch of events adds: written in one bulk write ({@link ReadModelBatches}). Each event is posted
     * under its own global index, read by its id (one {@code $in} per batch on the events' unique
     * {@code eventIdentifier}): a tracking token's position is the highest index the processor has seen, which is not
     * the event's own when the event fills a gap that a later commit left open (two writers, or a commit overtaken by
     * another).
     */
    private final class Postings implements ReadModelBatches.Batch {
        private final List<Posting> pending = new ArrayList<>();

        void add(Posting posting) {
            pending.add(posting);
        }

        @Override
        public void flush() {
            if (pending.isEmpty()) {
                return;
            }
            Map<String, Long> indexes = new java.util.HashMap<>();
            List<String> ids = pending.stream().map(Posting::eventId).toList();
            for (Document event : events.find(Filters.in("eventIdentifier", ids))
                                        .projection(new Document("eventIdentifier", 1))) {
                indexes.put(event.getString("eventIdentifier"), event.get("_id", Number.class).longValue());
            }
            Map<String, List<Long>> added = new LinkedHashMap<>();
            for (Posting posting : pending) {
                long index = indexes.getOrDefault(posting.eventId(), posting.position());
                added.computeIfAbsent(key(posting.practice(), ALL, index / BUCKET), k -> new ArrayList<>()).add(index);
                if (posting.patient() != null) {
                    added.computeIfAbsent(key(posting.practice(), posting.patient(), index / BUCKET),
                                          k -> new ArrayList<>()).add(index);
                }
                if (posting.brokeGlass()) {
                    added.computeIfAbsent(key(posting.practice(), BREAK_GLASS, index / BUCKET),
                                          k -> new ArrayList<>()).add(index);
                }
            }
            List<UpdateOneModel<Document>> updates = new ArrayList<>(added.size());
            added.forEach((key, list) -> updates.add(new UpdateOneModel<>(
                    Filters.eq("_id", key), Updates.addEachToSet("idx", list), new UpdateOptions().upsert(true))));
            postings.bulkWrite(updates, new BulkWriteOptions().ordered(false));
            pending.clear();
        }
    }

    @EventHandler
    void on(Object payload, EventMessage<?> message, TrackingToken token) {
        Postings batch = ReadModelBatches.current(BATCH, Postings::new);
        Optional<String[]> owner = owner(payload, message);
        if (owner.isPresent() && token != null && token.position().isPresent()) {
            batch.add(new Posting(owner.get()[0], owner.get()[1], payload instanceof PatientDataAccessed access
                                                                   && access.brokeGlass(),
                                  message.getIdentifier(), token.position().getAsLong()));
        }
        // every event of a batch comes here, so the batch's last one writes it
        ReadModelBatches.handled(batch);
    }

    @Override
    public String processingGroup() {
        return PROCESSING_GROUP;
    }

    @ResetHandler
    @Override
    public void reset() {
        postings.deleteMany(new Document());
    }

    static String key(String practice, String patient, long bucket) {
        return practice + "|" + patient + "|" + bucket;
    }

    /** Practice and patient (or {@code null}) of an event: from its stream id, or from an access record. */
    static Optional<String[]> owner(Object payload, EventMessage<?> message) {
        if (payload instanceof PatientDataAccessed access) {
            return Optional.of(new String[] {access.practiceId(), access.patientId()});
        }
        if (message instanceof DomainEventMessage<?> domain && domain.getAggregateIdentifier() != null) {
            String[] parts = domain.getAggregateIdentifier().split("/");
            if (parts.length >= 2) {
                return Optional.of(new String[] {parts[0], parts[1]});
            }
        }
        return Optional.empty();
    }
}
