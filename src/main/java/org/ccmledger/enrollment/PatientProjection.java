package org.ccmledger.enrollment;

import java.time.Instant;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.Date;
import java.util.List;

import org.axonframework.config.ProcessingGroup;
import org.axonframework.eventhandling.EventHandler;
import org.axonframework.eventhandling.ResetHandler;
import org.axonframework.queryhandling.QueryHandler;
import org.bson.Document;
import org.bson.conversions.Bson;
import org.ccmledger.careplan.api.CarePlanRevised;
import org.ccmledger.consent.api.ConsentDeclined;
import org.ccmledger.consent.api.ConsentRecorded;
import org.ccmledger.consent.api.ConsentRevoked;
import org.ccmledger.patient.BillingPractitionerChanged;
import org.ccmledger.patient.ChronicCondition;
import org.ccmledger.patient.EnrollmentId;
import org.ccmledger.patient.FindPatient;
import org.ccmledger.patient.PatientDied;
import org.ccmledger.patient.PatientDisenrolled;
import org.ccmledger.patient.PatientEnrolled;
import org.ccmledger.patient.PatientView;
import org.ccmledger.platform.axon.ReadModelBatches;
import org.ccmledger.platform.axon.VersionedReadModel;
import org.ccmledger.platform.problem.Refusal;
import org.springframework.stereotype.Component;

import com.mongodb.client.MongoCollection;
import com.mongodb.client.MongoDatabase;
import com.mongodb.client.model.BulkWriteOptions;
import com.mongodb.client.model.Filters;
import com.mongodb.client.model.UpdateOneModel;
import com.mongodb.client.model.UpdateOptions;
import com.mongodb.client.model.Updates;
import com.mongodb.client.model.WriteModel;

/**
 * Each patient's current state, one document per enrollment keyed {@code <practiceId>/<patientId>}. Every event
 * sets absolute values, so redelivery changes nothing.
 */
@Component
@ProcessingGroup(PatientProjection.PROCESSING_GROUP)
class PatientProjection implements VersionedReadModel {

    static final String PROCESSING_GROUP = "patients";

    private static final String BATCH = "patients-batch";

    private final MongoCollection<Document> patients;

    PatientProjection(MongoDatabase database) {
        this.patients = ReadModelBatches.collection(database, "rm_patients");
    }

    /** A batch's updates in the order its events gave them: one ordered bulk write ({@link ReadModelBatches}). */
    /** Every handler sets once: the batch's last event writes the batch. */
    private void set(EnrollmentId id, Bson update) {
        ReadModelBatches.OrderedWrites batch = ReadModelBatches.writes(BATCH, patients);
        batch.add(patients, new UpdateOneModel<>(Filters.eq("_id", id.toString()), update,
                                                 new UpdateOptions().upsert(true)));
        ReadModelBatches.handled(batch);
    }

    @EventHandler
    void on(PatientEnrolled event) {
        List<Document> conditions = event.chronicConditions().stream()
                .map(c -> new Document("code", c.code()).append("description", c.description())
                                                        .append("expectedToLast12Months", c.expectedToLast12Months())
                                                        .append("significantRisk", c.significantRisk()))
                .toList();
        set(event.enrollmentId(), Updates.combine(
                Updates.set("practiceId", event.enrollmentId().practiceId().value()),
                Updates.set("patientId", event.enrollmentId().patientId().value()),
                Updates.set("billingPractitionerNpi", event.billingPractitioner().value()),
                Updates.set("timeZone", event.timeZone().getId()),
                Updates.set("qualifiedMedicareBeneficiary", event.qualifiedMedicareBeneficiary()),
                Updates.set("chronicConditions", conditions),
                Updates.setOnInsert("consentStatus", "NONE")));
    }

    @EventHandler
    void on(ConsentRecorded event) {
        set(event.enrollmentId(), Updates.combine(Updates.set("consentStatus", "ACCEPTED"),
                                                  Updates.set("consentObtainedAt", Date.from(event.obtainedAt())),
                                                  Updates.unset("consentEffectiveUntil")));
    }

    @EventHandler
    void on(ConsentDeclined event) {
        set(event.enrollmentId(), Updates.combine(Updates.set("consentStatus", "DECLINED"),
                                                  Updates.set("consentObtainedAt", Date.from(event.obtainedAt())),
                                                  Updates.unset("consentEffectiveUntil")));
    }

    @EventHandler
    void on(ConsentRevoked event) {
        set(event.enrollmentId(), Updates.combine(Updates.set("consentStatus", "REVOKED"),
                                                  Updates.set("consentEffectiveUntil",
                                                              Date.from(event.effectiveAt()))));
    }

    @EventHandler
    void on(BillingPractitionerChanged event) {
        set(event.enrollmentId(), Updates.combine(
                Updates.set("billingPractitionerNpi", event.billingPractitioner().value()),
                Updates.set("consentStatus", "NONE"), Updates.unset("consentObtainedAt"),
                Updates.unset("consentEffectiveUntil")));
    }

    @EventHandler
    void on(CarePlanRevised event) {
        set(event.carePlanId().enrollmentId(), Updates.max("carePlanVersion", event.version()));
    }

    @EventHandler
    void on(PatientDied event) {
        set(event.enrollmentId(), Updates.set("dateOfDeath", event.dateOfDeath().toString()));
    }

    @EventHandler
    void on(PatientDisenrolled event) {
        set(event.enrollmentId(), Updates.set("disenrolledAt", Date.from(event.effectiveAt())));
    }

    @Override
    public String processingGroup() {
        return PROCESSING_GROUP;
    }

    @ResetHandler
    @Override
    public void reset() {
        patients.deleteMany(new Document());
    }

    @QueryHandler
    PatientView handle(FindPatient query) {
        Document d = patients.find(Filters.eq("_id", query.enrollmentId().toString())).first();
        if (d == null || d.getString("timeZone") == null) {
            throw Refusal.notFound("UNKNOWN_PATIENT", "no such patient in this practice");
        }
        List<ChronicCondition> conditions = d.getList("chronicConditions", Document.class).stream()
                .map(c -> new ChronicCondition(c.getString("code"), c.getString("description"),
                                               c.getBoolean("expectedToLast12Months"),
                                               c.getBoolean("significantRisk")))
                .toList();
        return new PatientView(d.getString("practiceId"), d.getString("patientId"),
                               d.getString("billingPractitionerNpi"), d.getString("timeZone"),
                               d.getBoolean("qualifiedMedicareBeneficiary"), conditions,
                               new PatientView.Consent(d.getString("consentStatus"), instant(d, "consentObtainedAt"),
                                                       instant(d, "consentEffectiveUntil")),
                               d.getInteger("carePlanVersion"),
                               d.getString("dateOfDeath") == null ? null : LocalDate.parse(d.getString("dateOfDeath")),
                               instant(d, "disenrolledAt"));
    }

    private static Instant instant(Document d, String field) {
        Date date = d.getDate(field);
        return date == null ? null : date.toInstant();
    }
}
