package org.ccmledger.caretime;

import java.time.Instant;
import java.time.LocalDate;
import java.time.YearMonth;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.Date;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.Optional;

import org.axonframework.config.ProcessingGroup;
import org.axonframework.eventhandling.EventHandler;
import org.axonframework.eventhandling.ResetHandler;
import org.axonframework.eventhandling.SequenceNumber;
import org.axonframework.queryhandling.QueryHandler;
import org.bson.Document;
import org.bson.conversions.Bson;
import org.ccmledger.caretime.api.CareMinutesCorrected;
import org.ccmledger.caretime.api.CareMinutesLogged;
import org.ccmledger.caretime.api.CareMinutesVoided;
import org.ccmledger.caretime.api.FindMonthlyMinutes;
import org.ccmledger.caretime.api.MonthlyMinutes;
import org.ccmledger.enrollment.api.EnrollmentId;
import org.ccmledger.enrollment.api.InpatientStayRecorded;
import org.ccmledger.enrollment.api.PatientDied;
import org.ccmledger.enrollment.api.PatientEnrolled;
import org.ccmledger.platform.problem.Refusal;
import org.springframework.stereotype.Component;

import com.mongodb.ErrorCategory;
import com.mongodb.MongoWriteException;
import com.mongodb.client.MongoCollection;
import com.mongodb.client.MongoDatabase;
import com.mongodb.client.model.Filters;
import com.mongodb.client.model.ReplaceOptions;
import com.mongodb.client.model.UpdateOptions;
import com.mongodb.client.model.Updates;

/**
 * Countable minutes per patient per calendar month of the billing location (P3), kept by a tracking processor,
 * with corrections and voids applied (P4), non-clinical time (R3), inpatient days (R4) and time after death left
 * out. An entry that crosses local midnight at month end is split between the months.
 * <p>
 * Two kinds of documents, each read and written by key: one per time entry ({@code <enrollment>|<entryId>}: its
 * current start and length, whether voided, and the aggregate sequence number of the last event applied) and one
 * per month ({@code <enrollment>|<yyyy-MM>}: the ids of the entries that ever fell in it). An entry is changed only
 * by an event with a higher sequence number, in one conditional update, so events delivered twice or out of order
 * give the same totals; a month's total is summed from its entries when asked.
 */
@Component
@ProcessingGroup(MonthlyMinutesProjection.PROCESSING_GROUP)
class MonthlyMinutesProjection {

    static final String PROCESSING_GROUP = "monthly-minutes";

    private final MongoCollection<Document> entries;
    private final MongoCollection<Document> months;
    private final MongoCollection<Document> zones;

    MonthlyMinutesProjection(MongoDatabase database) {
        this.entries = database.getCollection("rm_time_entries");
        this.months = database.getCollection("rm_monthly_minutes");
        this.zones = database.getCollection("rm_patient_zones");
    }

    @EventHandler
    void on(PatientEnrolled event) {
        zones.replaceOne(Filters.eq("_id", event.enrollmentId().toString()),
                         new Document("_id", event.enrollmentId().toString())
                                 .append("timeZone", event.timeZone().getId()),
                         new ReplaceOptions().upsert(true));
    }

    @EventHandler
    void on(CareMinutesLogged event, @SequenceNumber Long sequence) {
        place(event.enrollmentId(), event.entryId().value(), event.startedAt(), event.minutes(), sequence,
              Updates.set("counts", event.performer().role().countsTowardCcm()));
    }

    @EventHandler
    void on(CareMinutesCorrected event, @SequenceNumber Long sequence) {
        place(event.enrollmentId(), event.entryId().value(), event.startedAt(), event.minutes(), sequence);
    }

    /** Records where an entry lies in time; the months it touches list it, its minutes are counted when asked. */
    private void place(EnrollmentId enrollment, String entryId, Instant startedAt, int minutes, long sequence,
                       Bson... more) {
        List<MonthShare> shares = MonthShare.split(startedAt, minutes, zone(enrollment));
        List<Bson> changes = new ArrayList<>(List.of(Updates.set("startedAt", Date.from(startedAt)),
                                                     Updates.set("minutes", minutes)));
        changes.addAll(List.of(more));
        apply(enrollment, entryId, sequence, Updates.combine(changes), shares);
    }

    /** R4: the days of an inpatient stay, admission and discharge day included, do not count. */
    @EventHandler
    void on(InpatientStayRecorded event) {
        zones.updateOne(Filters.eq("_id", event.enrollmentId().toString()),
                        Updates.addToSet("excludedDays", new Document("from", event.admittedOn().toString())
                                .append("to", event.dischargedOn().toString())));
    }

    /** Edge case 7: time after the day of death does not count, whenever the death was recorded. */
    @EventHandler
    void on(PatientDied event) {
        zones.updateOne(Filters.eq("_id", event.enrollmentId().toString()),
                        Updates.set("dateOfDeath", event.dateOfDeath().toString()));
    }

    @EventHandler
    void on(CareMinutesVoided event, @SequenceNumber Long sequence) {
        apply(event.enrollmentId(), event.entryId().value(), sequence, Updates.set("voided", true), List.of());
    }

    private void apply(EnrollmentId enrollment, String entryId, long sequence, Bson change, List<MonthShare> shares) {
        // month links first and unconditionally (they only ever grow): a failure between the two writes is then
        // repaired by the redelivery, which the sequence guard below would otherwise turn away
        for (MonthShare share : shares) {
            months.updateOne(Filters.eq("_id", monthKey(enrollment, share.month())),
                             Updates.addToSet("entries", entryId), new UpdateOptions().upsert(true));
        }
        try {
            entries.updateOne(Filters.and(Filters.eq("_id", entryKey(enrollment, entryId)),
                                          Filters.lt("sequence", sequence)),
                              Updates.combine(change, Updates.set("sequence", sequence),
                                              Updates.set("entryId", entryId)),
                              new UpdateOptions().upsert(true));
        } catch (MongoWriteException e) {
            if (e.getError().getCategory() != ErrorCategory.DUPLICATE_KEY) {
                throw e;
            }
            // the entry already reflects this event or a later one
        }
    }

    @ResetHandler
    void reset() {
        entries.deleteMany(new Document());
        months.deleteMany(new Document());
        zones.deleteMany(new Document());
    }

    @QueryHandler
    MonthlyMinutes handle(FindMonthlyMinutes query) {
        EnrollmentId id = query.enrollmentId();
        Document patient = zones.find(Filters.eq("_id", id.toString())).first();
        if (patient == null) {
            throw Refusal.notFound("UNKNOWN_PATIENT", "no such patient in this practice");
        }
        CountableDays countable = CountableDays.of(patient);
        Document month = months.find(Filters.eq("_id", monthKey(id, query.month()))).first();
        int total = 0;
        List<String> counted = new ArrayList<>();
        if (month != null) {
            List<String> keys = month.getList("entries", String.class).stream().map(e -> entryKey(id, e)).toList();
            for (Document entry : entries.find(Filters.in("_id", keys))) {
                boolean excluded = Boolean.TRUE.equals(entry.getBoolean("voided"))
                        || Boolean.FALSE.equals(entry.getBoolean("counts")) || entry.getDate("startedAt") == null;
                int minutes = excluded ? 0 : countable.minutesIn(query.month(), entry.getDate("startedAt").toInstant(),
                                                                entry.getInteger("minutes"));
                if (minutes > 0) {
                    total += minutes;
                    counted.add(entry.getString("entryId"));
                }
            }
        }
        return new MonthlyMinutes(id.practiceId().value(), id.patientId().value(), query.month(), total,
                                  counted.stream().sorted().toList());
    }

    /**
     * Which clock minutes of a patient count: those whose local date (in the billing location's zone, P3) is in the
     * month asked for, is not an inpatient day (R4) and is not after the day of death.
     */
    record CountableDays(ZoneId zone, List<LocalDate[]> inpatient, LocalDate dateOfDeath) {

        static CountableDays of(Document patient) {
            List<LocalDate[]> stays = patient.getList("excludedDays", Document.class, List.of()).stream()
                    .map(d -> new LocalDate[] {LocalDate.parse(d.getString("from")),
                                               LocalDate.parse(d.getString("to"))})
                    .toList();
            String death = patient.getString("dateOfDeath");
            return new CountableDays(ZoneId.of(patient.getString("timeZone")), stays,
                                     death == null ? null : LocalDate.parse(death));
        }

        int minutesIn(YearMonth month, Instant startedAt, int minutes) {
            int count = 0;
            for (int minute = 0; minute < minutes; minute++) {
                LocalDate day = startedAt.plusSeconds(60L * minute).atZone(zone).toLocalDate();
                if (YearMonth.from(day).equals(month) && countable(day)) {
                    count++;
                }
            }
            return count;
        }

        private boolean countable(LocalDate day) {
            if (dateOfDeath != null && day.isAfter(dateOfDeath)) {
                return false;
            }
            return inpatient.stream().noneMatch(stay -> !day.isBefore(stay[0]) && !day.isAfter(stay[1]));
        }
    }

    private ZoneId zone(EnrollmentId id) {
        return Optional.ofNullable(zones.find(Filters.eq("_id", id.toString())).first())
                       .map(d -> ZoneId.of(d.getString("timeZone")))
                       .orElseThrow(() -> new IllegalStateException(
                               "care time for an enrollment the projection has not seen"));
    }

    private static String entryKey(EnrollmentId id, String entryId) {
        return id + "|" + entryId;
    }

    private static String monthKey(EnrollmentId id, YearMonth month) {
        return id + "|" + month;
    }

    /** The part of a time entry that falls in one calendar month of a zone (P3). */
    record MonthShare(YearMonth month, int minutes) {

        /** Each clock minute belongs to the month of the local date it starts on. */
        static List<MonthShare> split(Instant startedAt, int minutes, ZoneId zone) {
            Map<YearMonth, Integer> byMonth = new TreeMap<>();
            for (int minute = 0; minute < minutes; minute++) {
                byMonth.merge(YearMonth.from(startedAt.plusSeconds(60L * minute).atZone(zone)), 1, Integer::sum);
            }
            List<MonthShare> shares = new ArrayList<>();
            byMonth.forEach((month, count) -> shares.add(new MonthShare(month, count)));
            return shares;
        }
    }
}
