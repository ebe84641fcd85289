package org.ccmledger.billing.statement;

import java.time.YearMonth;
import java.time.ZoneId;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;

import org.axonframework.config.ProcessingGroup;
import org.axonframework.eventhandling.EventHandler;
import org.axonframework.eventhandling.EventMessage;
import org.axonframework.eventhandling.ResetHandler;
import org.axonframework.messaging.MetaData;
import org.bson.Document;
import org.ccmledger.billing.api.BillingMonthId;
import org.ccmledger.billing.api.BillingStatementIssued;
import org.ccmledger.caretime.api.CareMinutesCorrected;
import org.ccmledger.caretime.api.CareMinutesLogged;
import org.ccmledger.caretime.api.MonthShare;
import org.ccmledger.patient.EnrollmentId;
import org.ccmledger.patient.PatientEnrolled;
import org.ccmledger.patient.PatientEvent;
import org.ccmledger.platform.axon.ReadModelBatches;
import org.springframework.stereotype.Component;

import com.mongodb.client.MongoCollection;
import com.mongodb.client.MongoDatabase;
import com.mongodb.client.model.Filters;
import com.mongodb.client.model.UpdateOptions;
import com.mongodb.client.model.Updates;

/**
 * Issues adjustments for closed months (P4, edge cases 5 and 6): a tracking processor of its own that remembers which
 * patient-months have a statement and, when a later event may change one of them, has it re-evaluated from the
 * ledger. The {@link BillingMonth} aggregate decides whether anything changed, so handling an event twice, or a
 * replay, issues nothing new.
 * <p>
 * A statement computed while a late entry was being stored could miss it; so each statement, when it arrives here,
 * is re-checked against the ledger at once ({@link BillingService#recheck}: re-evaluated only when the patient's
 * streams have moved past what it folded). Care time names its months (the entry's interval, before and after a
 * correction); any other fact of a patient with closed months (a void, a stay, a death, a care-plan revision …) has
 * every closed month re-checked.
 */
@Component
@ProcessingGroup(AdjustmentPolicy.PROCESSING_GROUP)
class AdjustmentPolicy {

    static final String PROCESSING_GROUP = "billing-adjustments";

    private final MongoCollection<Document> closed;
    private final BillingService billing;

    AdjustmentPolicy(MongoDatabase database, BillingService billing) {
        this.closed = ReadModelBatches.collection(database, "rm_billing_closed_months");
        this.billing = billing;
    }

    @EventHandler
    void on(PatientEnrolled event) {
        closed.updateOne(Filters.eq("_id", event.enrollmentId().toString()),
                         Updates.set("zone", event.timeZone().getId()), new UpdateOptions().upsert(true));
    }

    @EventHandler
    void on(BillingStatementIssued event, EventMessage<?> message) {
        String key = event.billingMonthId().enrollmentId().toString();
        closed.updateOne(Filters.eq("_id", key), Updates.addToSet("months", event.month().toString()),
                         new UpdateOptions().upsert(true));
        billing.recheck(event, causedBy(message));
    }

    /** The actor and request of the triggering event, carried onto the adjustment. */
    private static MetaData causedBy(EventMessage<?> message) {
        MetaData metaData = MetaData.emptyInstance();
        for (String key : List.of("actor", "requestId")) {
            Object value = message.getMetaData().get(key);
            if (value != null) {
                metaData = metaData.and(key, value);
            }
        }
        return metaData;
    }

    /** Any other fact of a patient (the enrollment and statements have their own handlers; adjustments change nothing). */
    @EventHandler
    void on(PatientEvent payload, EventMessage<?> message) {
        if (payload instanceof org.ccmledger.billing.api.BillingAdjustmentIssued) {
            return;
        }
        EnrollmentId enrollment = payload.enrollmentId();
        Document doc = closed.find(Filters.eq("_id", enrollment.toString())).first();
        if (doc == null || doc.getList("months", String.class) == null) {
            return;
        }
        Set<YearMonth> closedMonths = new LinkedHashSet<>();
        doc.getList("months", String.class).forEach(m -> closedMonths.add(YearMonth.parse(m)));
        Set<YearMonth> affected = affected(payload, ZoneId.of(doc.getString("zone")), closedMonths);
        for (YearMonth month : affected) {
            billing.adjust(new BillingMonthId(enrollment, month), List.of(message.getIdentifier()),
                           causedBy(message));
        }
    }

    @ResetHandler
    void reset() {
        closed.deleteMany(new Document());
    }

    private static Set<YearMonth> affected(Object payload, ZoneId zone, Set<YearMonth> closedMonths) {
        Set<YearMonth> months = new LinkedHashSet<>();
        if (payload instanceof CareMinutesLogged e) {
            months.addAll(between(e.startedAt(), e.minutes(), zone));
        } else if (payload instanceof CareMinutesCorrected e) {
            months.addAll(between(e.previousStartedAt(), e.previousMinutes(), zone));
            months.addAll(between(e.startedAt(), e.minutes(), zone));
        } else {
            return closedMonths;
        }
        months.retainAll(closedMonths);
        return months;
    }

    private static Set<YearMonth> between(java.time.Instant start, int minutes, ZoneId zone) {
        Set<YearMonth> months = new LinkedHashSet<>();
        MonthShare.split(start, minutes, zone).forEach(share -> months.add(share.month()));
        return months;
    }
}
