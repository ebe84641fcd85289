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
class AuditIndexProjection {

    static final String PROCESSING_GROUP = "audit-index";
    private static final String BATCH = "audit-index-batch";
    static final int BUCKET = 1024;
    static final String ALL = "*";
    /** The owner of a practice's emergency reads (no patient id can be spelt so). */
    static final String BREAK_GLASS = "!break-glass";

    private final MongoCollection<Document> postings;

    AuditIndexProjection(MongoDatabase database) {
        this.postings = ReadModelBatches.collection(database, "rm_audit_postings");
    }

    /** The postings one batch of events adds, by posting key: written in one bulk write ({@link ReadModelBatches}). */
    private final class Postings implements ReadModelBatches.Batch {
        private final Map<String, List<Long>> added = new LinkedHashMap<>();

        void add(String key, long index) {
            added.computeIfAbsent(key, k -> new ArrayList<>()).add(index);
        }

        @Override
        public void flush() {
            if (added.isEmpty()) {
                return;
            }
            List<UpdateOneModel<Document>> updates = new ArrayList<>(added.size());
            added.forEach((key, indexes) -> updates.add(new UpdateOneModel<>(
                    Filters.eq("_id", key), Updates.addEachToSet("idx", indexes), new UpdateOptions().upsert(true))));
            postings.bulkWrite(updates, new BulkWriteOptions().ordered(false));
            added.clear();
        }
    }

    @EventHandler
    void on(Object payload, EventMessage<?> message, TrackingToken token) {
        Postings batch = ReadModelBatches.current(BATCH, Postings::new);
        Optional<String[]> owner = owner(payload, message);
        if (owner.isPresent() && token != null && token.position().isPresent()) {
            long index = token.position().getAsLong();
            String practice = owner.get()[0];
            batch.add(key(practice, ALL, index / BUCKET), index);
            if (owner.get()[1] != null) {
                batch.add(key(practice, owner.get()[1], index / BUCKET), index);
            }
            if (payload instanceof PatientDataAccessed access && access.brokeGlass()) {
                batch.add(key(practice, BREAK_GLASS, index / BUCKET), index);
            }
        }
        // every event of a batch comes here, so the batch's last one writes it
        ReadModelBatches.handled(batch);
    }

    @ResetHandler
    void reset() {
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
