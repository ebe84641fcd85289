package org.ccmledger.audit;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import org.ccmledger.audit.api.BreakGlassRead;
import org.ccmledger.audit.api.BreakGlassRead.BreakGlassReview;
import org.ccmledger.audit.api.FindBreakGlassReads;
import org.ccmledger.audit.api.BreakGlassReadReviewed;
import org.ccmledger.audit.api.BreakGlassReviewsId;
import org.ccmledger.audit.api.PatientDataAccessed;
import org.ccmledger.ledger.LedgerLookup;
import org.ccmledger.ledger.StoredEvent;
import org.ccmledger.patient.PracticeId;
import org.axonframework.queryhandling.QueryHandler;
import org.ccmledger.platform.axon.ProcessorCatchUp;
import org.ccmledger.platform.axon.StoredEventPayloads;
import org.springframework.stereotype.Component;

/**
 * A practice's emergency (break-glass) reads for the compliance officer's review: each read from the access log's
 * break-glass postings ({@link AuditIndexProjection}), joined with its review decision, if any, from the practice's
 * review stream ({@link BreakGlassReviews}). Blocking.
 */
@Component
class BreakGlassReads implements BreakGlassReviews.EmergencyReads {

    private final AuditLog log;
    private final LedgerLookup lookup;
    private final StoredEventPayloads payloads;

    private final ProcessorCatchUp catchUp;

    BreakGlassReads(AuditLog log, LedgerLookup lookup, StoredEventPayloads payloads, ProcessorCatchUp catchUp) {
        this.catchUp = catchUp;
        this.log = log;
        this.lookup = lookup;
        this.payloads = payloads;
    }

    /**
     * A page of emergency reads after the cursor, the cursor of the next ({@code null} when no more are indexed), and
     * how far the access log was indexed when it was read.
     */
    record BreakGlassPage(List<BreakGlassRead> reads, Long nextCursor, long indexedUpTo) {
    }

    /** Up to {@code limit} reads after {@code after}; with {@code openOnly}, those not yet reviewed. */
    BreakGlassPage page(String practiceId, boolean openOnly, long after, int limit) {
        Map<Long, BreakGlassReview> reviews = reviews(practiceId);
        AuditLog.Events events = log.breakGlassReads(practiceId, after);
        List<BreakGlassRead> page = new ArrayList<>();
        long last = after;
        while (page.size() < limit && events.hasNext()) {
            AuditEvent event = events.next();
            last = event.globalIndex();
            BreakGlassReview review = reviews.get(event.globalIndex());
            if (!openOnly || review == null) {
                page.add(read(event, review));
            }
        }
        return new BreakGlassPage(page, events.hasNext() ? last : null, events.upTo());
    }

    /** The console's list: once the index has caught up with every event stored before the call. */
    @QueryHandler
    List<BreakGlassRead> handle(FindBreakGlassReads query) {
        catchUp.await(AuditIndexProjection.PROCESSING_GROUP, Duration.ofSeconds(10));
        return page(query.practiceId().value(), query.openOnly(), 0, FindBreakGlassReads.MAX).reads();
    }

    @Override
    public Optional<String> readerOf(String practiceId, long accessIndex) {
        return read(practiceId, accessIndex).map(BreakGlassRead::actor);
    }

    /** The practice's emergency read recorded at {@code accessIndex}, if that index holds one. */
    Optional<BreakGlassRead> read(String practiceId, long accessIndex) {
        StoredEvent stored = lookup.atIndexes(List.of(accessIndex)).get(accessIndex);
        if (stored == null || !(payloads.payload(stored) instanceof PatientDataAccessed access)
                || !access.practiceId().equals(practiceId) || !access.brokeGlass()) {
            return Optional.empty();
        }
        return Optional.of(read(log.view(stored), reviews(practiceId).get(accessIndex)));
    }

    private Map<Long, BreakGlassReview> reviews(String practiceId) {
        Map<Long, BreakGlassReview> reviews = new HashMap<>();
        for (StoredEvent e : lookup.stream(new BreakGlassReviewsId(new PracticeId(practiceId)).toString(), null)) {
            if (payloads.payload(e) instanceof BreakGlassReadReviewed reviewed) {
                Object actor = payloads.metaData(e).get("actor");
                reviews.put(reviewed.accessIndex(), new BreakGlassReview(reviewed.decision(), reviewed.note(),
                                                               actor == null ? null : actor.toString(),
                                                               e.recordedAt()));
            }
        }
        return reviews;
    }

    private static BreakGlassRead read(AuditEvent event, BreakGlassReview review) {
        Map<String, Object> p = event.payload();
        return new BreakGlassRead(event.globalIndex(), instant(p.get("accessedAt")), event.recordedAt(),
                                  text(p.get("actor")), text(p.get("patientId")), text(p.get("resource")),
                                  text(p.get("path")), text(p.get("purposeOfUse")), text(p.get("breakGlassReason")),
                                  review);
    }

    private static Instant instant(Object value) {
        return value == null ? null : Instant.parse(value.toString());
    }

    private static String text(Object value) {
        return value == null ? null : value.toString();
    }
}
