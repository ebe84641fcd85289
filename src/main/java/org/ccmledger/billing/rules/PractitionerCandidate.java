package org.ccmledger.billing.rules;

import java.time.LocalDate;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;

import org.ccmledger.billing.api.AssignedCodes;
import org.ccmledger.billing.api.BillingMinutes;
import org.ccmledger.billing.api.EventRef;
import org.ccmledger.billing.api.FeeSetting;
import org.ccmledger.billing.api.Reason;
import org.ccmledger.billing.api.Total;
import org.ccmledger.caretime.api.CountableMinutes;
import org.ccmledger.caretime.api.TimeEntry;
import org.ccmledger.consent.api.ConsentPeriod;
import org.ccmledger.consent.api.PractitionerPeriod;
import org.ccmledger.patient.Npi;

/**
 * One practitioner's bill for a patient-month (R6): their consent (R8), the minutes started under them
 * ({@link CountableMinutes}), the exclusion matrix for their services (R5), their initiating visit (R9) and the codes
 * their minutes earn ({@link CodeAssignment}). {@link MonthEvaluator} weighs the candidates of every practitioner
 * responsible in the month.
 *
 * @param order the practitioner's place in the timeline: of equal bills, the later practitioner's wins
 */
record PractitionerCandidate(String npi, int order, BillingMinutes minutes, AssignedCodes codes,
                             List<Reason> blockers, List<Reason> flags) {

    /** What a candidate is evaluated with besides the record: the month's facts shared by every practitioner. */
    record Month(MonthWindow window, RuleData rules, LocalDate dateOfService, boolean complexityAttested,
                 boolean carePlanEstablishedOrRevised, String placeOfService, FeeSetting setting) {
    }

    boolean billable() {
        return blockers.isEmpty() && codes.billed().isPresent();
    }

    Total total() {
        return blockers.isEmpty() ? codes.total() : Total.of(List.of());
    }

    static PractitionerCandidate of(PatientBillingRecord record, Month m, String npi, boolean qualifyingParticipant,
                                    Set<EventRef> read) {
        List<Reason> blockers = new ArrayList<>();
        List<Reason> flags = new ArrayList<>();
        Npi practitioner = new Npi(npi);
        MonthWindow window = m.window();
        List<ConsentPeriod<EventRef>> consents = record.consent().acceptedDuring(practitioner, window.start(),
                                                                                 window.end());
        for (ConsentPeriod<EventRef> consent : consents) {
            read.add(consent.source());
            if (consent.end() != null) {
                read.add(consent.end().source());
            }
        }
        if (consents.isEmpty()) {
            blockers.add(new Reason("R8", "no consent for practitioner " + npi + " in force in the month"));
        }
        for (TimeEntry<EventRef> entry : record.entries().all()) {
            if (entry.overlaps(window.start(), window.end())) {
                read.addAll(entry.sources());
            }
        }
        CountableMinutes.Totals totals = CountableMinutes.of(window.month(), practitioner, record.calendar(),
                                                             record.consent(), record.entries().all());
        exclusions(record, m, npi, read, blockers, flags);
        LocalDate dateOfService = m.dateOfService();
        if (requiresInitiatingVisit(record) && record.visits().stream().noneMatch(
                v -> v.npi().equals(npi) && !v.date().isAfter(dateOfService))) {
            blockers.add(new Reason("R9", "no initiating visit by practitioner " + npi + " on record by "
                                          + dateOfService + " (needed for a new patient or one not seen within a "
                                          + "year)"));
        }
        record.visits().stream().filter(v -> v.npi().equals(npi) && !v.date().isAfter(dateOfService))
                     .forEach(v -> read.add(v.ref()));
        CareMonth careMonth = new CareMonth(window.month(), totals.counted(), totals.billingPractitioner(),
                                            m.complexityAttested(), m.carePlanEstablishedOrRevised(),
                                            qualifyingParticipant, m.placeOfService(), m.setting());
        AssignedCodes codes = new CodeAssignment(m.rules()).assign(careMonth, dateOfService);
        List<PractitionerPeriod<EventRef>> timeline = record.consent().practitioners();
        int order = timeline.indexOf(timeline.stream().filter(p -> p.npi().equals(practitioner))
                                             .reduce((a, b) -> b).orElseThrow());
        return new PractitionerCandidate(npi, order, new BillingMinutes(totals.staff(), totals.billingPractitioner(),
                                                                        totals.counted()),
                                         codes, blockers, flags);
    }

    /** R5: the month's concurrent services against the exclusion matrix, by this practitioner and by others. */
    private static void exclusions(PatientBillingRecord record, Month m, String npi, Set<EventRef> read,
                                   List<Reason> blockers, List<Reason> flags) {
        for (PatientBillingRecord.Service service : record.services()) {
            if (!service.month().equals(m.window().month())) {
                continue;
            }
            read.add(service.ref());
            boolean same = npi.equals(service.npi());
            m.rules().exclusion(service.kind()).ifPresent(row -> {
                Exclusion.Effect effect = same ? row.samePractitioner() : row.otherPractitioner();
                String who = same ? "by the billing practitioner" : "by another practitioner";
                Reason reason = new Reason("R5", service.code() + " " + who + " in the month: " + row.note()
                                                 + " (" + Provenance.describe(row.label(), row.source()) + ", "
                                                 + m.rules().version() + ")");
                (effect == Exclusion.Effect.BLOCK ? blockers : flags).add(reason);
            });
        }
    }

    private static boolean requiresInitiatingVisit(PatientBillingRecord record) {
        Boolean required = record.enrollment().initiatingVisitRequired();
        return required == null || required;
    }
}
