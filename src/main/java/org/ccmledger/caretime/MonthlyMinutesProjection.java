package org.ccmledger.caretime;

import java.time.Instant;
import java.time.YearMonth;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.Date;
import java.util.List;
import java.util.Optional;

import org.axonframework.config.ProcessingGroup;
import org.axonframework.eventhandling.EventHandler;
import org.axonframework.eventhandling.ResetHandler;
import org.axonframework.eventhandling.SequenceNumber;
import org.axonframework.queryhandling.QueryHandler;
import org.bson.Document;
import org.bson.conversions.Bson;
import org.ccmledger.caretime.api.CareCalendar;
import org.ccmledger.caretime.api.CareMinutesCorrected;
import org.ccmledger.caretime.api.CareMinutesLogged;
import org.ccmledger.caretime.api.CareMinutesVoided;
import org.ccmledger.caretime.api.CountableMinutes;
import org.ccmledger.caretime.api.FindMonthlyMinutes;
import org.ccmledger.caretime.api.MonthShare;
import org.ccmledger.caretime.api.MonthlyMinutes;
import org.ccmledger.caretime.api.Performer;
import org.ccmledger.caretime.api.PerformerRole;
import org.ccmledger.caretime.api.TimeEntry;
import org.ccmledger.consent.api.ConsentPeriods;
import org.ccmledger.consent.api.PractitionerPeriod;
import org.ccmledger.patient.EnrollmentId;
import org.ccmledger.patient.PatientEnrolled;
import org.ccmledger.patient.PatientEvent;
import org.ccmledger.platform.axon.EventJson;
import org.ccmledger.platform.axon.VersionedReadModel;
import org.ccmledger.platform.problem.Refusal;
import org.springframework.stereotype.Component;

import com.mongodb.ErrorCategory;
import com.mongodb.MongoWriteException;
import com.mongodb.client.MongoCollection;
import com.mongodb.client.MongoDatabase;
import com.mongodb.client.model.Filters;
import com.mongodb.client.model.UpdateOptions;
import com.mongodb.client.model.Updates;

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

    private final MongoCollection<Document> entries;
    private final MongoCollection<Document> months;
    private final MongoCollection<Document> patients;

    MonthlyMinutesProjection(MongoDatabase database) {
        this.entries = database.getCollection("rm_time_entries");
        this.months = database.getCollection("rm_monthly_minutes");
        this.patients = database.getCollection("rm_patient_zones");
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

    /**
     * An event that decides when the patient's time counts ({@link CareCalendar}, {@link ConsentPeriods}): kept whole
     * under its sequence number; the enrollment also gives the zone that places entries in months.
     */
    @EventHandler
    void on(PatientEvent event, @SequenceNumber Long sequence) {
        if (event instanceof PatientEnrolled enrolled) {
            keep(event.enrollmentId(), sequence, event, Updates.set("timeZone", enrolled.timeZone().getId()));
        } else if (CareCalendar.concerns(event) || ConsentPeriods.concerns(event)) {
            keep(event.enrollmentId(), sequence, event);
        }
    }

    /** Keeps an event that decides when the patient's time counts; the list only grows, duplicates fold away. */
    private void keep(EnrollmentId enrollment, long sequence, Object event, Bson... more) {
        List<Bson> changes = new ArrayList<>(List.of(Updates.addToSet("events",
                                                                      EventJson.document(event)
                                                                               .append("sequence", sequence))));
        changes.addAll(List.of(more));
        patients.updateOne(Filters.eq("_id", enrollment.toString()), Updates.combine(changes),
                           new UpdateOptions().upsert(true));
    }

    @EventHandler
    void on(CareMinutesLogged event, @SequenceNumber Long sequence) {
        place(event.enrollmentId(), event.entryId().value(), event.startedAt(), event.minutes(), sequence);
        // the performer never changes: set apart from the sequence guard, so an early correction cannot hide it
        entries.updateOne(Filters.eq("_id", entryKey(event.enrollmentId(), event.entryId().value())),
                          Updates.combine(Updates.set("performerId", event.performer().id()),
                                          Updates.set("role", event.performer().role().name())));
    }

    @EventHandler
    void on(CareMinutesCorrected event, @SequenceNumber Long sequence) {
        place(event.enrollmentId(), event.entryId().value(), event.startedAt(), event.minutes(), sequence);
    }

    @EventHandler
    void on(CareMinutesVoided event, @SequenceNumber Long sequence) {
        apply(event.enrollmentId(), event.entryId().value(), sequence, new Document("voided", true), List.of());
    }

    /** Records where an entry lies in time; the months it touches list it, its minutes are counted when asked. */
    private void place(EnrollmentId enrollment, String entryId, Instant startedAt, int minutes, long sequence) {
        List<MonthShare> shares = MonthShare.split(startedAt, minutes, zone(enrollment));
        apply(enrollment, entryId, sequence, new Document("startedAt", Date.from(startedAt)).append("minutes", minutes),
              shares);
    }

    /**
     * Sets {@code fields} on the entry unless it already reflects this event or a later one. Every step that can be a
     * key lookup is one (the embedded server answers a filter with more than {@code _id} by scanning the collection):
     * the entry is read by key and left alone when its sequence is not lower; an entry not there yet is inserted by
     * key; only an existing entry's change (a correction, a void) goes through the guarded update, which stays atomic
     * against a node whose claim expired.
     */
    private void apply(EnrollmentId enrollment, String entryId, long sequence, Document fields,
                       List<MonthShare> shares) {
        // month links first and unconditionally (they only ever grow): a failure between the two writes is then
        // repaired by the redelivery, which the sequence guard below would otherwise turn away
        for (MonthShare share : shares) {
            months.updateOne(Filters.eq("_id", monthKey(enrollment, share.month())),
                             Updates.addToSet("entries", entryId), new UpdateOptions().upsert(true));
        }
        String key = entryKey(enrollment, entryId);
        Document current = entries.find(Filters.eq("_id", key)).first();
        Number applied = current == null ? null : current.get("sequence", Number.class);
        if (applied != null && applied.longValue() >= sequence) {
            return; // the entry already reflects this event or a later one
        }
        Document set = new Document(fields).append("sequence", sequence).append("entryId", entryId);
        if (current == null) {
            try {
                Document entry = new Document("_id", key);
                entry.putAll(set);
                entries.insertOne(entry);
                return;
            } catch (MongoWriteException e) {
                if (e.getError().getCategory() != ErrorCategory.DUPLICATE_KEY) {
                    throw e;
                }
                // inserted meanwhile by another writer: the guarded update below decides
            }
        }
        try {
            entries.updateOne(Filters.and(Filters.eq("_id", key), Filters.lt("sequence", sequence)),
                              new Document("$set", set), new UpdateOptions().upsert(true));
        } catch (MongoWriteException e) {
            if (e.getError().getCategory() != ErrorCategory.DUPLICATE_KEY) {
                throw e;
            }
            // the entry already reflects this event or a later one
        }
    }

    @ResetHandler
    @Override
    public void reset() {
        entries.deleteMany(new Document());
        months.deleteMany(new Document());
        patients.deleteMany(new Document());
    }

    @QueryHandler
    MonthlyMinutes handle(FindMonthlyMinutes query) {
        EnrollmentId id = query.enrollmentId();
        Document patient = patients.find(Filters.eq("_id", id.toString())).first();
        if (patient == null || patient.getString("timeZone") == null) {
            throw Refusal.notFound("UNKNOWN_PATIENT", "no such patient in this practice");
        }
        CareCalendar<Void> calendar = CareCalendar.none();
        ConsentPeriods<Void> consents = ConsentPeriods.none();
        List<Document> kept = new ArrayList<>(patient.getList("events", Document.class, List.of()));
        kept.sort(Comparator.comparingLong(d -> d.get("sequence", Number.class).longValue()));
        for (Document stored : kept) {
            Object event = EventJson.payload(stored);
            calendar = calendar.apply(event, null);
            consents = consents.apply(event, null);
        }
        List<TimeEntry<Void>> inMonth = entriesOf(id, query.month());
        CountableMinutes.Totals best = new CountableMinutes.Totals(0, 0, 0, List.of());
        if (!consents.practitioners().isEmpty()) {
            for (PractitionerPeriod<Void> period : consents.practitionersDuring(calendar.monthStart(query.month()),
                                                                                calendar.monthEnd(query.month()))) {
                CountableMinutes.Totals totals = CountableMinutes.of(query.month(), period.npi(), calendar, consents,
                                                                     inMonth);
                if (totals.counted() >= best.counted()) {
                    best = totals;
                }
            }
        }
        return new MonthlyMinutes(id.practiceId().value(), id.patientId().value(), query.month(), best.counted(),
                                  best.entryIds(), best.counted(), best.staff(), best.billingPractitioner());
    }

    /** The entries that ever fell in the month, as they stand; an entry whose logging has not arrived is left out. */
    private List<TimeEntry<Void>> entriesOf(EnrollmentId id, YearMonth month) {
        Document linked = months.find(Filters.eq("_id", monthKey(id, month))).first();
        List<TimeEntry<Void>> found = new ArrayList<>();
        if (linked == null) {
            return found;
        }
        List<String> keys = linked.getList("entries", String.class).stream().map(e -> entryKey(id, e)).toList();
        for (Document entry : entries.find(Filters.in("_id", keys))) {
            if (entry.getString("role") == null || entry.getDate("startedAt") == null) {
                continue;
            }
            found.add(new TimeEntry<>(entry.getString("entryId"),
                                      new Performer(entry.getString("performerId"),
                                                    PerformerRole.valueOf(entry.getString("role"))),
                                      entry.getDate("startedAt").toInstant(), entry.getInteger("minutes"),
                                      Boolean.TRUE.equals(entry.getBoolean("voided")), List.of()));
        }
        return found;
    }

    private ZoneId zone(EnrollmentId id) {
        return Optional.ofNullable(patients.find(Filters.eq("_id", id.toString())).first())
                       .map(d -> d.getString("timeZone")).map(ZoneId::of)
                       .orElseThrow(() -> new IllegalStateException(
                               "care time for an enrollment the projection has not seen"));
    }

    private static String entryKey(EnrollmentId id, String entryId) {
        return id + "|" + entryId;
    }

    private static String monthKey(EnrollmentId id, YearMonth month) {
        return id + "|" + month;
    }
}
