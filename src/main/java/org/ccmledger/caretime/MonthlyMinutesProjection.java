package org.ccmledger.caretime;

import java.time.Instant;
import java.util.Date;

import org.axonframework.config.ProcessingGroup;
import org.axonframework.eventhandling.EventHandler;
import org.axonframework.eventhandling.ResetHandler;
import org.axonframework.eventhandling.SequenceNumber;
import org.bson.Document;
import org.ccmledger.caretime.api.CareMinutesCorrected;
import org.ccmledger.caretime.api.CareMinutesLogged;
import org.ccmledger.caretime.api.CareMinutesVoided;
import org.ccmledger.caretime.api.CountableMinutes;
import org.ccmledger.caretime.api.MonthShare;
import org.ccmledger.consent.api.ConsentDeclined;
import org.ccmledger.consent.api.ConsentRecorded;
import org.ccmledger.consent.api.ConsentRevoked;
import org.ccmledger.patient.BillingPractitionerChanged;
import org.ccmledger.patient.EnrollmentId;
import org.ccmledger.patient.InpatientStayRecorded;
import org.ccmledger.patient.PatientDied;
import org.ccmledger.patient.PatientDisenrolled;
import org.ccmledger.patient.PatientEnrolled;
import org.ccmledger.patient.PatientEvent;
import org.ccmledger.platform.axon.EventJson;
import org.ccmledger.platform.axon.ReadModelBatches;
import org.ccmledger.platform.axon.VersionedReadModel;
import org.springframework.stereotype.Component;

import com.mongodb.client.MongoCollection;
import com.mongodb.client.MongoDatabase;

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
    /** The read model's collections: one document per time entry, per patient month, per patient. */
    static final String ENTRIES = "rm_time_entries";
    static final String MONTHS = "rm_monthly_minutes";
    static final String PATIENTS = "rm_patient_zones";

    private final MongoCollection<Document> entries;
    private final MongoCollection<Document> months;
    private final MongoCollection<Document> patients;

    MonthlyMinutesProjection(MongoDatabase database) {
        this.entries = ReadModelBatches.collection(database, ENTRIES);
        this.months = ReadModelBatches.collection(database, MONTHS);
        this.patients = ReadModelBatches.collection(database, PATIENTS);
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

    private MinuteChanges changes() {
        return ReadModelBatches.current(BATCH, () -> new MinuteChanges(entries, months, patients));
    }

    /** The enrollment: kept whole under its sequence number, and its zone places the patient's entries in months. */
    @EventHandler
    void on(PatientEnrolled event, @SequenceNumber Long sequence) {
        keep(event, sequence, event.timeZone().getId());
    }

    /*
     * The other events that decide when the patient's time counts (CareCalendar.EVENTS, ConsentPeriods.EVENTS), each
     * kept whole under its sequence number. Only these types are handled, so no other patient event (a care plan, a
     * statement) is read for this read model (MonthlyMinutesHandlersTest holds the list to the two folds').
     */

    @EventHandler
    void on(InpatientStayRecorded event, @SequenceNumber Long sequence) {
        keep(event, sequence, null);
    }

    @EventHandler
    void on(PatientDied event, @SequenceNumber Long sequence) {
        keep(event, sequence, null);
    }

    @EventHandler
    void on(PatientDisenrolled event, @SequenceNumber Long sequence) {
        keep(event, sequence, null);
    }

    @EventHandler
    void on(BillingPractitionerChanged event, @SequenceNumber Long sequence) {
        keep(event, sequence, null);
    }

    @EventHandler
    void on(ConsentRecorded event, @SequenceNumber Long sequence) {
        keep(event, sequence, null);
    }

    @EventHandler
    void on(ConsentDeclined event, @SequenceNumber Long sequence) {
        keep(event, sequence, null);
    }

    @EventHandler
    void on(ConsentRevoked event, @SequenceNumber Long sequence) {
        keep(event, sequence, null);
    }

    /** Keeps the event whole under its sequence number, with the zone it gives ({@code null}: it gives none). */
    private void keep(PatientEvent event, long sequence, String timeZone) {
        MinuteChanges changes = changes();
        changes.keep(event.enrollmentId(), EventJson.document(event).append("sequence", sequence), timeZone);
        ReadModelBatches.handled(changes);
    }

    @EventHandler
    void on(CareMinutesLogged event, @SequenceNumber Long sequence) {
        MinuteChanges changes = changes();
        place(changes, event.enrollmentId(), event.entryId().value(), event.startedAt(), event.minutes(), sequence);
        // the performer never changes: set apart from the sequence guard, so an early correction cannot hide it
        MinuteChanges.Entry entry = changes.entry(event.enrollmentId(), event.entryId().value());
        entry.logged = true;
        entry.performer = new Document("performerId", event.performer().id())
                .append("role", event.performer().role().name());
        ReadModelBatches.handled(changes);
    }

    @EventHandler
    void on(CareMinutesCorrected event, @SequenceNumber Long sequence) {
        MinuteChanges changes = changes();
        place(changes, event.enrollmentId(), event.entryId().value(), event.startedAt(), event.minutes(), sequence);
        ReadModelBatches.handled(changes);
    }

    @EventHandler
    void on(CareMinutesVoided event, @SequenceNumber Long sequence) {
        MinuteChanges changes = changes();
        changes.entry(event.enrollmentId(), event.entryId().value()).apply(sequence, new Document("voided", true));
        ReadModelBatches.handled(changes);
    }

    /** Records where an entry lies in time; the months it touches list it, its minutes are counted when asked. */
    private static void place(MinuteChanges changes, EnrollmentId enrollment, String entryId, Instant startedAt,
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

}
