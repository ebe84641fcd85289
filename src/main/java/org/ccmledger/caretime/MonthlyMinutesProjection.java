package org.ccmledger.caretime;

import java.time.Duration;
import java.time.Instant;
import java.time.YearMonth;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

import org.axonframework.config.ProcessingGroup;
import org.axonframework.eventhandling.EventHandler;
import org.axonframework.eventhandling.ResetHandler;
import org.axonframework.queryhandling.QueryHandler;
import org.bson.Document;
import org.ccmledger.caretime.api.CareMinutesLogged;
import org.ccmledger.caretime.api.FindMonthlyMinutes;
import org.ccmledger.caretime.api.MonthlyMinutes;
import org.ccmledger.enrollment.api.EnrollmentId;
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
 * Minutes per patient per calendar month of the billing location (P3), kept by a tracking processor. An entry that
 * crosses local midnight at month end is split between the months. Each month document lists the entries it
 * counted and is updated atomically on that condition, so a redelivered event (after a crash between handling and
 * storing the token) is not counted twice.
 * Every document is read and written by its key {@code <practice>/<patient>|<yyyy-MM>}.
 */
@Component
@ProcessingGroup(MonthlyMinutesProjection.PROCESSING_GROUP)
class MonthlyMinutesProjection {

    static final String PROCESSING_GROUP = "monthly-minutes";

    private final MongoCollection<Document> months;
    private final MongoCollection<Document> zones;

    MonthlyMinutesProjection(MongoDatabase database) {
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
    void on(CareMinutesLogged event) {
        if (!event.performer().role().countsTowardCcm()) {
            return;
        }
        ZoneId zone = zoneOf(event.enrollmentId()).orElseThrow(
                () -> new IllegalStateException("minutes logged for an enrollment the projection has not seen"));
        for (MonthShare share : MonthShare.split(event.startedAt(), event.minutes(), zone)) {
            add(event, share);
        }
    }

    /**
     * Adds an entry's share to its month in one atomic update that matches only while the month does not list the
     * entry yet: a redelivered event, or a second node that still held an expired claim, cannot count it twice or
     * overwrite another node's update.
     */
    private void add(CareMinutesLogged event, MonthShare share) {
        String key = key(event.enrollmentId(), share.month());
        String entryId = event.entryId().value();
        try {
            months.updateOne(Filters.and(Filters.eq("_id", key), Filters.ne("entries", entryId)),
                             Updates.combine(Updates.inc("minutes", share.minutes()),
                                             Updates.push("entries", entryId),
                                             Updates.setOnInsert("practiceId",
                                                                 event.enrollmentId().practiceId().value()),
                                             Updates.setOnInsert("patientId", event.enrollmentId().patientId().value()),
                                             Updates.setOnInsert("month", share.month().toString())),
                             new UpdateOptions().upsert(true));
        } catch (MongoWriteException e) {
            if (e.getError().getCategory() != ErrorCategory.DUPLICATE_KEY) {
                throw e;
            }
            // the month exists and already lists this entry: the upsert found no match and collided on _id
        }
    }

    @ResetHandler
    void reset() {
        months.deleteMany(new Document());
        zones.deleteMany(new Document());
    }

    @QueryHandler
    MonthlyMinutes handle(FindMonthlyMinutes query) {
        if (zoneOf(query.enrollmentId()).isEmpty()) {
            throw Refusal.notFound("UNKNOWN_PATIENT", "no such patient in this practice");
        }
        Document month = months.find(Filters.eq("_id", key(query.enrollmentId(), query.month()))).first();
        EnrollmentId id = query.enrollmentId();
        if (month == null) {
            return new MonthlyMinutes(id.practiceId().value(), id.patientId().value(), query.month(), 0, List.of());
        }
        return new MonthlyMinutes(id.practiceId().value(), id.patientId().value(), query.month(),
                                  month.getInteger("minutes"), month.getList("entries", String.class));
    }

    private Optional<ZoneId> zoneOf(EnrollmentId id) {
        return Optional.ofNullable(zones.find(Filters.eq("_id", id.toString())).first())
                       .map(d -> ZoneId.of(d.getString("timeZone")));
    }

    private static String key(EnrollmentId id, YearMonth month) {
        return id + "|" + month;
    }

    /** The part of a time entry that falls in one calendar month of a zone (P3). */
    record MonthShare(YearMonth month, int minutes) {

        static List<MonthShare> split(Instant startedAt, int minutes, ZoneId zone) {
            List<MonthShare> shares = new ArrayList<>();
            int remaining = minutes;
            Instant cursor = startedAt;
            while (remaining > 0) {
                YearMonth month = YearMonth.from(cursor.atZone(zone));
                Instant monthEnd = month.plusMonths(1).atDay(1).atStartOfDay(zone).toInstant();
                long whole = Duration.between(cursor, monthEnd).toMinutes();
                if (whole < 1) {
                    cursor = monthEnd; // less than a whole minute left in this month: it starts the next one
                    continue;
                }
                int share = (int) Math.min(remaining, whole);
                shares.add(new MonthShare(month, share));
                remaining -= share;
                cursor = cursor.plus(Duration.ofMinutes(share));
            }
            return shares;
        }
    }
}
