package org.ccmledger.consent;

import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.UUID;
import java.util.function.UnaryOperator;

import org.axonframework.config.ProcessingGroup;
import org.axonframework.eventhandling.EventHandler;
import org.axonframework.eventhandling.ResetHandler;
import org.axonframework.eventhandling.SequenceNumber;
import org.axonframework.queryhandling.QueryHandler;
import org.bson.Document;
import org.ccmledger.consent.api.ConsentDecision;
import org.ccmledger.consent.api.ConsentDeclined;
import org.ccmledger.consent.api.ConsentMethod;
import org.ccmledger.consent.api.ConsentRecorded;
import org.ccmledger.consent.api.ConsentRevoked;
import org.ccmledger.consent.api.ConsentStatus;
import org.ccmledger.consent.api.ConsentView;
import org.ccmledger.consent.api.Disclosures;
import org.ccmledger.consent.api.FindConsents;
import org.ccmledger.consent.api.PatientConsents;
import org.ccmledger.enrollment.api.BillingPractitionerChanged;
import org.ccmledger.enrollment.api.EnrollmentId;
import org.ccmledger.enrollment.api.Npi;
import org.ccmledger.enrollment.api.PatientEnrolled;
import org.ccmledger.platform.problem.Refusal;
import org.springframework.stereotype.Component;

import com.mongodb.client.MongoCollection;
import com.mongodb.client.MongoDatabase;
import com.mongodb.client.model.Filters;
import com.mongodb.client.model.ReplaceOptions;
import com.mongodb.client.model.UpdateOptions;
import com.mongodb.client.model.Updates;

/**
 * Each patient's consent decisions (R8), kept by its own tracking processor: every consent accepted or declined,
 * every revocation and every billing-practitioner change, which ends the former practitioner's consent.
 * <p>
 * Two kinds of documents, each read and written by key: one per enrolled patient ({@code <enrollment>}, in
 * {@code rm_consent_patients}, with the sequence numbers of its consent events) and one per event
 * ({@code <enrollment>|<sequence>}, in {@code rm_consent_events}). A query reads the patient and then its events by
 * key and folds them in sequence order, as the enrollment aggregate does: a revocation or a practitioner change ends
 * the consent in force for that practitioner. Events are stored whole under their aggregate sequence number and the
 * list only gains numbers ({@code $addToSet}), so an event delivered again, or out of order, gives the same answer.
 */
@Component
@ProcessingGroup(ConsentProjection.PROCESSING_GROUP)
class ConsentProjection {

    static final String PROCESSING_GROUP = "consents";
    private static final int MAX_KEYS_PER_READ = 100;

    private final MongoCollection<Document> patients;
    private final MongoCollection<Document> events;

    ConsentProjection(MongoDatabase database) {
        this.patients = database.getCollection("rm_consent_patients");
        this.events = database.getCollection("rm_consent_events");
    }

    @EventHandler
    void on(PatientEnrolled event) {
        patients.updateOne(Filters.eq("_id", event.enrollmentId().toString()),
                           Updates.setOnInsert("events", List.of()), new UpdateOptions().upsert(true));
    }

    @EventHandler
    void on(ConsentRecorded event, @SequenceNumber Long sequence) {
        store(event.enrollmentId(), sequence,
              decisionDocument(ConsentDecision.ACCEPTED, event.method(), event.obtainedAt(), event.obtainedBy(),
                               event.billingPractitioner(), event.documentRef(), event.disclosures()));
    }

    @EventHandler
    void on(ConsentDeclined event, @SequenceNumber Long sequence) {
        store(event.enrollmentId(), sequence,
              decisionDocument(ConsentDecision.DECLINED, event.method(), event.obtainedAt(), event.obtainedBy(),
                               event.billingPractitioner(), event.documentRef(), event.disclosures()));
    }

    @EventHandler
    void on(ConsentRevoked event, @SequenceNumber Long sequence) {
        store(event.enrollmentId(), sequence, new Document("kind", "REVOKED")
                .append("npi", event.billingPractitioner().value())
                .append("revokedAt", event.revokedAt().toString())
                .append("effectiveAt", event.effectiveAt().toString())
                .append("reason", event.reason()));
    }

    @EventHandler
    void on(BillingPractitionerChanged event, @SequenceNumber Long sequence) {
        store(event.enrollmentId(), sequence, new Document("kind", "PRACTITIONER_CHANGED")
                .append("previous", event.previous().value())
                .append("npi", event.billingPractitioner().value())
                .append("effectiveAt", event.effectiveAt().toString()));
    }

    @ResetHandler
    void reset() {
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

    /** The consent decisions the events make, each ended by the revocation or practitioner change that ends it. */
    private static List<ConsentView> fold(EnrollmentId id, List<Document> inSequence) {
        List<ConsentView> consents = new ArrayList<>();
        for (Document event : inSequence) {
            switch (event.getString("kind")) {
                case "ACCEPTED", "DECLINED" -> consents.add(consent(id, event));
                case "REVOKED" -> endInForce(consents, new Npi(event.getString("npi")), consent -> consent.revokedBy(
                        new ConsentView.Revocation(instant(event, "revokedAt"), instant(event, "effectiveAt"),
                                                   event.getString("reason"))));
                case "PRACTITIONER_CHANGED" -> endInForce(consents, new Npi(event.getString("previous")),
                        consent -> consent.endedBy(new ConsentView.PractitionerChange(
                                instant(event, "effectiveAt"), new Npi(event.getString("npi")))));
                default -> throw new IllegalStateException("unknown consent event kind in the read model");
            }
        }
        return consents;
    }

    /** Ends the consent in force for {@code npi}, if there is one (as the enrollment aggregate does, R8). */
    private static void endInForce(List<ConsentView> consents, Npi npi, UnaryOperator<ConsentView> ending) {
        for (int i = consents.size() - 1; i >= 0; i--) {
            ConsentView consent = consents.get(i);
            if (consent.status() == ConsentStatus.IN_FORCE && consent.billingPractitionerNpi().equals(npi)) {
                consents.set(i, ending.apply(consent));
                return;
            }
        }
    }

    private static ConsentView consent(EnrollmentId id, Document event) {
        ConsentDecision decision = ConsentDecision.valueOf(event.getString("kind"));
        Document disclosures = event.get("disclosures", Document.class);
        return new ConsentView(consentId(id, event.get("sequence", Number.class).longValue()), decision,
                               decision == ConsentDecision.ACCEPTED ? ConsentStatus.IN_FORCE : ConsentStatus.DECLINED,
                               ConsentMethod.valueOf(event.getString("method")), instant(event, "obtainedAt"),
                               event.getString("obtainedBy"), new Npi(event.getString("npi")),
                               event.getString("documentRef"),
                               new Disclosures(disclosures.getBoolean("availability"),
                                               disclosures.getBoolean("costSharing"),
                                               disclosures.getBoolean("onePractitionerPerMonth"),
                                               disclosures.getBoolean("rightToStop")),
                               null, null, null);
    }

    /** A consent decision's id: a name-based UUID of its place in the ledger, which names no patient. */
    static String consentId(EnrollmentId id, long sequence) {
        return UUID.nameUUIDFromBytes(("urn:ccm-ledger:consent|" + id + "|" + sequence)
                                              .getBytes(StandardCharsets.UTF_8)).toString();
    }

    private void store(EnrollmentId id, long sequence, Document event) {
        String key = eventKey(id, sequence);
        events.replaceOne(Filters.eq("_id", key), event.append("_id", key).append("sequence", sequence),
                          new ReplaceOptions().upsert(true));
        patients.updateOne(Filters.eq("_id", id.toString()), Updates.addToSet("events", sequence),
                           new UpdateOptions().upsert(true));
    }

    private static Document decisionDocument(ConsentDecision decision, ConsentMethod method, Instant obtainedAt,
                                             String obtainedBy, Npi npi, String documentRef,
                                             Disclosures disclosures) {
        return new Document("kind", decision.name())
                .append("method", method.name())
                .append("obtainedAt", obtainedAt.toString())
                .append("obtainedBy", obtainedBy)
                .append("npi", npi.value())
                .append("documentRef", documentRef)
                .append("disclosures", new Document("availability", disclosures.availability())
                        .append("costSharing", disclosures.costSharing())
                        .append("onePractitionerPerMonth", disclosures.onePractitionerPerMonth())
                        .append("rightToStop", disclosures.rightToStop()));
    }

    private static Instant instant(Document document, String field) {
        return Instant.parse(document.getString(field));
    }

    private static String eventKey(EnrollmentId id, long sequence) {
        return id + "|" + sequence;
    }
}
