package org.ccmledger.billing.rules;

import java.time.Instant;
import java.time.LocalDate;
import java.time.YearMonth;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.function.IntFunction;
import java.util.function.Predicate;

import org.ccmledger.billing.rules.PatientBillingRecord.CarePlanVersion;
import org.ccmledger.billing.api.Alternative;
import org.ccmledger.billing.api.AssignedCodes;
import org.ccmledger.billing.api.BillingLine;
import org.ccmledger.billing.api.BillingMinutes;
import org.ccmledger.billing.api.CcmFamily;
import org.ccmledger.billing.api.EventRef;
import org.ccmledger.billing.api.FamilyEvaluation;
import org.ccmledger.billing.api.MonthEvaluation;
import org.ccmledger.billing.api.Reason;
import org.ccmledger.billing.api.StatementLine;
import org.ccmledger.billing.api.Total;
import org.ccmledger.caretime.api.CountableMinutes;
import org.ccmledger.caretime.api.InpatientStay;
import org.ccmledger.caretime.api.TimeEntry;
import org.ccmledger.consent.api.ConsentPeriod;
import org.ccmledger.consent.api.PractitionerPeriod;
import org.ccmledger.patient.Npi;

/**
 * Decides one patient-month from a {@link PatientBillingRecord}: a pure function of the record, the month and the
 * year's rule data, so the projection, the month close and verification all reach the same answer.
 * <p>
 * Order of the decision:
 * <ol>
 *   <li>Practitioner (R6): every practitioner responsible during the month is evaluated on the time started under
 *       them (and covered by their consent, R8); the month is billed under the one whose bill is highest, ties going
 *       to the one responsible later. The others are kept as R6 alternatives.</li>
 *   <li>Minutes (P2, P3, R3, R4, R8, death, disenrollment): {@link CountableMinutes}, the function the minutes view
 *       counts with.</li>
 *   <li>Blockers, each with its rule: consent in force (R8), two qualifying conditions (R7), a care plan by the date of
 *       service (R10), an initiating visit where one is needed (R9), the exclusion matrix.</li>
 *   <li>Codes (R2, R5, P1): {@link CodeAssignment}, priced at the date of service; G0506 once, with its visit's
 *       date, when the initiating visit in the month included comprehensive care planning (R9).</li>
 *   <li>Date of service (R12): the last day of the month, or the date of death when earlier (edge case 7). We bill at
 *       month end rather than at the threshold date so add-on units are complete and the claim is never split.</li>
 * </ol>
 */
public final class MonthEvaluator {

    private final IntFunction<RuleData> rulesForYear;
    private final Predicate<String> qualifyingParticipant;

    public MonthEvaluator(IntFunction<RuleData> rulesForYear, Predicate<String> qualifyingParticipant) {
        this.rulesForYear = rulesForYear;
        this.qualifyingParticipant = qualifyingParticipant;
    }

    /**
     * What a closed month keeps fixed when it is evaluated again (adjustments, verification): the practitioner it was
     * billed under (R6: one practitioner per month, so later time of another practitioner does not move the claim)
     * and the QP status its amounts were priced with. {@code null} parts are decided afresh.
     */
    public record Pin(String practitioner, Boolean qualifyingParticipant) {
        public static final Pin NONE = new Pin(null, null);
    }

    public MonthEvaluation evaluate(PatientBillingRecord record, YearMonth month) {
        return evaluate(record, month, Pin.NONE);
    }

    public MonthEvaluation evaluate(PatientBillingRecord record, YearMonth month, Pin pin) {
        if (!record.enrolled()) {
            throw new IllegalArgumentException("no enrollment in the record");
        }
        RuleData rules = rulesForYear.apply(month.getYear());
        Window window = new Window(month, record.timeZone());
        LocalDate dateOfService = dateOfService(record, month);
        Set<EventRef> read = new LinkedHashSet<>();
        read.add(record.enrollment().ref());

        List<Reason> patientBlockers = new ArrayList<>();
        List<Reason> flags = new ArrayList<>();
        long qualifying = record.enrollment().conditions().stream().filter(PatientBillingRecord.Condition::qualifies)
                                .count();
        if (qualifying < 2) {
            patientBlockers.add(new Reason("R7", "fewer than two qualifying chronic conditions"));
        }
        Instant serviceEnd = dateOfService.plusDays(1).atStartOfDay(record.timeZone()).toInstant();
        Optional<CarePlanVersion> plan = record.carePlanAt(serviceEnd.minusNanos(1));
        if (plan.isEmpty()) {
            patientBlockers.add(new Reason("R10", "no care plan established by the date of service " + dateOfService));
        } else {
            read.add(plan.get().ref());
            if (plan.get().sharedWithPatientAt() == null) {
                flags.add(new Reason("R10", "care plan version " + plan.get().version()
                                            + " has no record of a copy given to the patient or caregiver"));
            }
        }
        boolean carePlanEstablishedOrRevised = false;
        for (CarePlanVersion version : record.carePlan().values()) {
            if (window.contains(version.revisedAt()) && version.revisedAt().isBefore(serviceEnd)
                && (version.version() == 1 || version.substantial())) {
                carePlanEstablishedOrRevised = true;
                read.add(version.ref());
            }
        }
        boolean complexityAttested = false;
        for (PatientBillingRecord.Complexity c : record.complexity()) {
            if (c.month().equals(month)) {
                complexityAttested = true;
                read.add(c.ref());
            }
        }
        record.calendar().inpatientStays().stream().filter(s -> window.overlapsDays(s.admittedOn(), s.dischargedOn()))
              .map(InpatientStay::source).forEach(read::add);
        if (record.calendar().deathSource() != null) {
            read.add(record.calendar().deathSource());
        }
        if (record.calendar().disenrollmentSource() != null) {
            read.add(record.calendar().disenrollmentSource());
        }
        if (record.enrollment().qualifiedMedicareBeneficiary()) {
            flags.add(new Reason("R14", "the patient is a Qualified Medicare Beneficiary: never bill cost sharing; "
                                        + "coinsurance 0"));
        }

        List<Candidate> candidates = new ArrayList<>();
        for (PractitionerPeriod<EventRef> period : record.consent().practitionersDuring(window.start(), window.end())) {
            read.add(period.source());
            candidates.add(candidate(record, month, window, period.npi().value(), rules, dateOfService,
                                     complexityAttested, carePlanEstablishedOrRevised, read, pin));
        }
        if (pin.practitioner() != null && candidates.stream().noneMatch(c -> c.npi().equals(pin.practitioner()))) {
            candidates.add(candidate(record, month, window, pin.practitioner(), rules, dateOfService,
                                     complexityAttested, carePlanEstablishedOrRevised, read, pin));
        }
        Candidate chosen = pin.practitioner() != null
                ? candidates.stream().filter(c -> c.npi().equals(pin.practitioner())).findFirst().orElseThrow()
                : candidates.stream().max(Comparator.comparing((Candidate c) -> c.billable())
                                                    .thenComparing(c -> c.total().knownPart())
                                                    .thenComparing(c -> c.order()))
                            .orElseThrow();
        List<Reason> blockers = new ArrayList<>(patientBlockers);
        blockers.addAll(chosen.blockers());
        flags.addAll(chosen.flags());

        List<Alternative> alternatives = new ArrayList<>();
        for (FamilyEvaluation e : chosen.codes().evaluations()) {
            if (e.outcome() != FamilyEvaluation.Outcome.BILLED || !blockers.isEmpty()) {
                List<Reason> reasons = new ArrayList<>(e.reasons());
                if (e.outcome() == FamilyEvaluation.Outcome.BILLED) {
                    reasons.add(0, new Reason(blockers.get(0).rule(), "would be billed, but the month is blocked"));
                }
                alternatives.add(new Alternative(e.family(), chosen.npi(), lines(e.lines(), dateOfService),
                                                 reasons));
            }
        }
        for (Candidate other : candidates) {
            if (other != chosen && other.codes().billed().isPresent()) {
                FamilyEvaluation best = other.codes().billed().orElseThrow();
                alternatives.add(new Alternative(best.family(), other.npi(), lines(best.lines(), dateOfService),
                                                 List.of(new Reason("R6", "time under practitioner " + other.npi()
                                                         + " (T=" + other.minutes().counted()
                                                         + ") is not billed: one practitioner per month, "
                                                         + chosen.npi() + " bills the month"))));
            }
        }

        List<StatementLine> lines = new ArrayList<>();
        CcmFamily family = null;
        if (blockers.isEmpty()) {
            Optional<FamilyEvaluation> billed = chosen.codes().billed();
            if (billed.isPresent()) {
                family = billed.get().family();
                lines.addAll(lines(billed.get().lines(), dateOfService));
            }
            comprehensiveCarePlanning(record, window, chosen.npi(), rules, read).ifPresent(lines::add);
        }
        if (lines.isEmpty() && blockers.isEmpty()) {
            blockers.add(new Reason("R2", "T=" + chosen.minutes().counted() + ", P="
                                          + chosen.minutes().billingPractitioner()
                                          + ": no family's threshold is fully met (R1: minutes of other months never "
                                          + "count)"));
        }
        Total total = StatementLine.total(lines);
        if (!total.complete()) {
            flags.add(new Reason("R15", "allowed amount unknown for " + String.join(", ", total.unknownCodes())
                                        + " in " + rules.version() + "; billed with the amount marked unknown"));
        }
        List<String> diagnoses = record.enrollment().conditions().stream()
                                                  .sorted(Comparator.comparing(c -> !c.qualifies()))
                                                  .map(PatientBillingRecord.Condition::code).distinct().toList();
        List<EventRef> events = read.stream()
                                    .sorted(Comparator.comparing(EventRef::aggregateId)
                                                      .thenComparingLong(EventRef::sequence))
                                    .toList();
        return new MonthEvaluation(month, chosen.npi(), family, lines, chosen.minutes(), blockers, flags,
                                   alternatives, events, dateOfService, chosen.codes().feeBasis(), diagnoses,
                                   plan.map(CarePlanVersion::version).orElse(0),
                                   record.enrollment().qualifiedMedicareBeneficiary());
    }

    /** R12: month end, or the date of death when it falls in the month (edge case 7). */
    static LocalDate dateOfService(PatientBillingRecord record, YearMonth month) {
        LocalDate dateOfDeath = record.calendar().dateOfDeath();
        if (dateOfDeath != null && YearMonth.from(dateOfDeath).equals(month)) {
            return dateOfDeath;
        }
        return month.atEndOfMonth();
    }

    private Candidate candidate(PatientBillingRecord record, YearMonth month, Window window, String npi,
                                RuleData rules, LocalDate dateOfService, boolean complexityAttested,
                                boolean carePlanEstablishedOrRevised, Set<EventRef> read, Pin pin) {
        List<Reason> blockers = new ArrayList<>();
        List<Reason> flags = new ArrayList<>();
        Npi practitioner = new Npi(npi);
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
        CountableMinutes.Totals totals = CountableMinutes.of(month, practitioner, record.calendar(),
                                                             record.consent(), record.entries().all());
        for (PatientBillingRecord.Service service : record.services()) {
            if (!service.month().equals(month)) {
                continue;
            }
            read.add(service.ref());
            boolean same = npi.equals(service.npi());
            rules.exclusion(service.kind()).ifPresent(row -> {
                Exclusion.Effect effect = same ? row.samePractitioner() : row.otherPractitioner();
                String who = same ? "by the billing practitioner" : "by another practitioner";
                Reason reason = new Reason("R5", service.code() + " " + who + " in the month: " + row.note()
                                                 + " (" + Provenance.describe(row.label(), row.source()) + ", "
                                                 + rules.version() + ")");
                (effect == Exclusion.Effect.BLOCK ? blockers : flags).add(reason);
            });
        }
        if (requiresInitiatingVisit(record) && record.visits().stream().noneMatch(
                v -> v.npi().equals(npi) && !v.date().isAfter(dateOfService))) {
            blockers.add(new Reason("R9", "no initiating visit by practitioner " + npi + " on record by "
                                          + dateOfService + " (needed for a new patient or one not seen within a "
                                          + "year)"));
        }
        record.visits().stream().filter(v -> v.npi().equals(npi) && !v.date().isAfter(dateOfService))
                     .forEach(v -> read.add(v.ref()));
        CareMonth careMonth = new CareMonth(month, totals.counted(), totals.billingPractitioner(), complexityAttested,
                                            carePlanEstablishedOrRevised,
                                            pin.qualifyingParticipant() != null ? pin.qualifyingParticipant()
                                                    : qualifyingParticipant.test(npi));
        AssignedCodes codes = new CodeAssignment(rules).assign(careMonth, dateOfService);
        List<PractitionerPeriod<EventRef>> timeline = record.consent().practitioners();
        int order = timeline.indexOf(timeline.stream().filter(p -> p.npi().equals(practitioner))
                                             .reduce((a, b) -> b).orElseThrow());
        return new Candidate(npi, order, new BillingMinutes(totals.staff(), totals.billingPractitioner(),
                                                            totals.counted()),
                             codes, blockers, flags);
    }

    private static boolean requiresInitiatingVisit(PatientBillingRecord record) {
        Boolean required = record.enrollment().initiatingVisitRequired();
        return required == null || required;
    }

    /** R9: G0506 once, on the initiating visit's date, when that visit is in the month and included care planning. */
    private Optional<StatementLine> comprehensiveCarePlanning(PatientBillingRecord record, Window window,
                                                              String npi, RuleData rules, Set<EventRef> read) {
        boolean qp = qualifyingParticipant.test(npi);
        return record.visits().stream()
                            .filter(v -> v.comprehensiveCarePlanning() && v.npi().equals(npi)
                                         && YearMonth.from(v.date()).equals(window.month()))
                            .findFirst()
                            .map(v -> {
                                read.add(v.ref());
                                FeeSchedule fees = rules.feeSchedule(v.date(), qp);
                                return new StatementLine("G0506", 1, fees.allowed("G0506").value().orElse(null),
                                                         v.date());
                            });
    }

    private static List<StatementLine> lines(List<BillingLine> lines, LocalDate dateOfService) {
        return lines.stream().map(l -> new StatementLine(l.code(), l.units(), l.unitAmount().value().orElse(null),
                                                         dateOfService)).toList();
    }

    private record Candidate(String npi, int order, BillingMinutes minutes, AssignedCodes codes,
                             List<Reason> blockers, List<Reason> flags) {

        boolean billable() {
            return blockers.isEmpty() && codes.billed().isPresent();
        }

        Total total() {
            return blockers.isEmpty() ? codes.total() : Total.of(List.of());
        }
    }

    /** The month as an instant range in the billing location's zone (P3). */
    private record Window(YearMonth month, ZoneId zone) {

        Instant start() {
            return month.atDay(1).atStartOfDay(zone).toInstant();
        }

        Instant end() {
            return month.plusMonths(1).atDay(1).atStartOfDay(zone).toInstant();
        }

        boolean contains(Instant instant) {
            return !instant.isBefore(start()) && instant.isBefore(end());
        }

        /** Whether [from, until) meets the month; {@code until == null}: open-ended. */
        boolean overlaps(Instant from, Instant until) {
            return from.isBefore(end()) && (until == null || until.isAfter(start()));
        }

        boolean overlapsDays(LocalDate from, LocalDate to) {
            return !from.isAfter(month.atEndOfMonth()) && !to.isBefore(month.atDay(1));
        }
    }
}
