package org.ccmledger.caretime;

import java.time.YearMonth;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;

import org.axonframework.queryhandling.QueryHandler;
import org.bson.Document;
import org.ccmledger.caretime.api.CareCalendar;
import org.ccmledger.caretime.api.CountableMinutes;
import org.ccmledger.caretime.api.FindMonthlyMinutes;
import org.ccmledger.caretime.api.MonthlyMinutes;
import org.ccmledger.caretime.api.Performer;
import org.ccmledger.caretime.api.PerformerRole;
import org.ccmledger.caretime.api.TimeEntry;
import org.ccmledger.consent.api.ConsentPeriods;
import org.ccmledger.consent.api.PractitionerPeriod;
import org.ccmledger.patient.EnrollmentId;
import org.ccmledger.platform.axon.EventJson;
import org.ccmledger.platform.axon.ReadModelBatches;
import org.ccmledger.platform.problem.Refusal;
import org.springframework.stereotype.Component;

import com.mongodb.client.MongoCollection;
import com.mongodb.client.MongoDatabase;
import com.mongodb.client.model.Filters;

/**
 * Answers {@link FindMonthlyMinutes} from {@link MonthlyMinutesProjection}'s documents: the patient's kept events
 * folded in order, the month's entries read by key, and the minutes counted by {@link CountableMinutes} for each
 * billing practitioner the patient had consented to in the month, the best of them.
 */
@Component
class MonthlyMinutesQueries {

    private final MongoCollection<Document> entries;
    private final MongoCollection<Document> months;
    private final MongoCollection<Document> patients;

    MonthlyMinutesQueries(MongoDatabase database) {
        this.entries = ReadModelBatches.collection(database, MonthlyMinutesProjection.ENTRIES);
        this.months = ReadModelBatches.collection(database, MonthlyMinutesProjection.MONTHS);
        this.patients = ReadModelBatches.collection(database, MonthlyMinutesProjection.PATIENTS);
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
        Document linked = months.find(Filters.eq("_id", MinuteChanges.monthKey(id, month))).first();
        List<TimeEntry<Void>> found = new ArrayList<>();
        if (linked == null) {
            return found;
        }
        List<String> keys = linked.getList("entries", String.class).stream()
                                  .map(e -> MinuteChanges.entryKey(id, e)).toList();
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
}
