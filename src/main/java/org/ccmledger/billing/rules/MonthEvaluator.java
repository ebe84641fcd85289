package org.ccmledger.billing.rules;

import java.time.Instant;
import java.time.LocalDate;
import java.time.YearMonth;
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
import org.ccmledger.billing.api.BillingLine;
import org.ccmledger.billing.api.BillingMinutes;
import org.ccmledger.billing.api.CcmFamily;
import org.ccmledger.billing.api.EventRef;
import org.ccmledger.billing.api.FamilyEvaluation;
import org.ccmledger.billing.api.FeeSetting;
import org.ccmledger.billing.api.MonthEvaluation;
import org.ccmledger.billing.api.Reason;
import org.ccmledger.billing.api.StatementLine;
import org.ccmledger.billing.api.Total;
import org.ccmledger.billing.api.VisitAddOn;
import org.ccmledger.caretime.api.CountableMinutes;
import org.ccmledger.caretime.api.InpatientStay;
import org.ccmledger.codeset.api.DiagnosisCodes;
import org.ccmledger.consent.api.PractitionerPeriod;

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
 *   <li>Codes (R2, R5, P1): {@link CodeAssignment}, priced at the date of service in the setting its place of
 *       service is paid at (R13); G0506, when the initiating visit in the month included comprehensive care
 *       planning, as an add-on of that visit's claim, never on the CCM claim ({@link VisitAddOns}, R9).</li>
 *   <li>Diagnoses (R7): every code billable on the date of service by the ICD-10-CM edition in force
 *       ({@link DiagnosisCheck}).</li>
 *   <li>Date of service (R12): the last day of the month, or the date of death when earlier (edge case 7). We bill at
 *       month end rather than at the threshold date so add-on units are complete and the claim is never split.</li>
 * </ol>
 */
public final class MonthEvaluator {

    private final RuleDataSource rules;
    private final Predicate<String> qualifyingParticipant;
    private final PlaceOfServiceLookup places;
    private final DiagnosisCodes codes;
    private final PlacesOfService settings;

    /** Where a practice bills from (R13): the place of service of a practice's location ({@code null}: its own). */
    @FunctionalInterface
    public interface PlaceOfServiceLookup {
        String placeOfService(String practiceId, String location);
    }

    /**
     * @param rules                 each year's rule and fee data, current or by version
     * @param qualifyingParticipant whether an NPI is a Qualifying APM Participant (R15)
     * @param places                the place of service a patient's practice and location bill with (R13)
     * @param codes                 the ICD-10-CM code sets (R7)
     * @param settings              which places of service are paid at the facility rate
     */
    public MonthEvaluator(RuleDataSource rules, Predicate<String> qualifyingParticipant, PlaceOfServiceLookup places,
                          DiagnosisCodes codes, PlacesOfService settings) {
        this.rules = rules;
        this.qualifyingParticipant = qualifyingParticipant;
        this.places = places;
        this.codes = codes;
        this.settings = settings;
    }

    /** An office practice (POS 11) whose diagnoses are not checked: for tests of the other rules. */
    public MonthEvaluator(IntFunction<RuleData> rulesForYear, Predicate<String> qualifyingParticipant) {
        this(RuleDataSource.byYear(rulesForYear), qualifyingParticipant, (practice, location) -> "11",
             DiagnosisCheck.ANY, PlacesOfService.shipped());
    }

    /**
     * What a closed month keeps fixed when it is evaluated again (adjustments, verification): the practitioner it was
     * billed under (R6: one practitioner per month, so later time of another practitioner does not move the claim)
     * and the QP status its amounts were priced with. {@code null} parts are decided afresh.
     */
    public record Pin(String practitioner, Boolean qualifyingParticipant, String ruleVersion, String placeOfService) {
        public static final Pin NONE = new Pin(null, null, null, null);

        public Pin(String practitioner, Boolean qualifyingParticipant) {
            this(practitioner, qualifyingParticipant, null, null);
        }
    }

    public MonthEvaluation evaluate(PatientBillingRecord record, YearMonth month) {
        return evaluate(record, month, Pin.NONE);
    }

    /**
     * The next code or unit the evaluated month can earn by time and the minutes it still needs ({@link NextUnit}),
     * under the thresholds of the rule data in force for the month's year; empty when both time families are capped.
     */
    public java.util.Optional<org.ccmledger.billing.api.NextUnit> nextUnit(MonthEvaluation evaluation) {
        RuleData rules = this.rules.current(evaluation.month().getYear());
        BillingMinutes minutes = evaluation.minutes();
        return java.util.stream.Stream.of(rules.family(CcmFamily.NON_COMPLEX).next(minutes.counted()),
                                          rules.family(CcmFamily.PRACTITIONER).next(minutes.billingPractitioner()))
                                      .flatMap(java.util.Optional::stream)
                                      .min(Comparator.comparingInt(org.ccmledger.billing.api.NextUnit::minutesToGo));
    }

    public MonthEvaluation evaluate(PatientBillingRecord record, YearMonth month, Pin pin) {
        if (!record.enrolled()) {
            throw new IllegalArgumentException("no enrollment in the record");
        }
        RuleData rules = pin.ruleVersion() != null ? this.rules.version(month.getYear(), pin.ruleVersion())
                : this.rules.current(month.getYear());
        String placeOfService = pin.placeOfService() != null ? pin.placeOfService()
                : places.placeOfService(record.enrollment().practiceId(), record.enrollment().billingLocation());
        FeeSetting setting = settings.setting(placeOfService);
        MonthWindow window = new MonthWindow(month, record.timeZone());
        LocalDate dateOfService = dateOfService(record, month);
        Set<EventRef> read = new LinkedHashSet<>();
        read.add(record.enrollment().ref());

        List<Reason> patientBlockers = new ArrayList<>();
        List<Reason> flags = new ArrayList<>();
        List<String> diagnoses = record.enrollment().conditions().stream()
                                       .sorted(Comparator.comparing(c -> !c.qualifies()))
                                       .map(PatientBillingRecord.Condition::code).distinct().toList();
        DiagnosisCheck.check(diagnoses, dateOfService, codes, patientBlockers, flags);
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

        PractitionerCandidate.Month facts = new PractitionerCandidate.Month(window, rules, dateOfService,
                                                                            complexityAttested,
                                                                            carePlanEstablishedOrRevised,
                                                                            placeOfService, setting);
        List<PractitionerCandidate> candidates = new ArrayList<>();
        for (PractitionerPeriod<EventRef> period : record.consent().practitionersDuring(window.start(),
                                                                                        window.end())) {
            read.add(period.source());
            String npi = period.npi().value();
            candidates.add(PractitionerCandidate.of(record, facts, npi, qp(pin, npi), read));
        }
        if (pin.practitioner() != null && candidates.stream().noneMatch(c -> c.npi().equals(pin.practitioner()))) {
            candidates.add(PractitionerCandidate.of(record, facts, pin.practitioner(), qp(pin, pin.practitioner()),
                                                    read));
        }
        PractitionerCandidate chosen = pin.practitioner() != null
                ? candidates.stream().filter(c -> c.npi().equals(pin.practitioner())).findFirst().orElseThrow()
                : candidates.stream().max(Comparator.comparing((PractitionerCandidate c) -> c.billable())
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
        for (PractitionerCandidate other : candidates) {
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
        List<VisitAddOn> addOns = new ArrayList<>();
        CcmFamily family = null;
        if (blockers.isEmpty()) {
            Optional<FamilyEvaluation> billed = chosen.codes().billed();
            if (billed.isPresent()) {
                family = billed.get().family();
                lines.addAll(lines(billed.get().lines(), dateOfService));
            }
            VisitAddOns.in(record, month, chosen.npi(), rules, qp(pin, chosen.npi()), setting, placeOfService, read,
                           flags).ifPresent(addOns::add);
        }
        if (lines.isEmpty() && blockers.isEmpty()) {
            Reason belowThreshold = new Reason("R2", "T=" + chosen.minutes().counted() + ", P="
                                                     + chosen.minutes().billingPractitioner()
                                                     + ": no family's threshold is fully met (R1: minutes of other "
                                                     + "months never count)");
            (addOns.isEmpty() ? blockers : flags).add(belowThreshold);
        }
        Total total = StatementLine.total(lines);
        if (!total.complete()) {
            flags.add(new Reason("R15", "allowed amount unknown for " + String.join(", ", total.unknownCodes())
                                        + " in " + rules.version() + "; billed with the amount marked unknown"));
        }
        List<EventRef> events = read.stream()
                                    .sorted(Comparator.comparing(EventRef::aggregateId)
                                                      .thenComparingLong(EventRef::sequence))
                                    .toList();
        return new MonthEvaluation(month, chosen.npi(), family, lines, chosen.minutes(), blockers, flags,
                                   alternatives, events, dateOfService, chosen.codes().feeBasis(), diagnoses,
                                   plan.map(CarePlanVersion::version).orElse(0),
                                   record.enrollment().qualifiedMedicareBeneficiary(), addOns);
    }

    /** R15: the QP status the month was billed with, else the practitioner's. */
    private boolean qp(Pin pin, String npi) {
        return pin.qualifyingParticipant() != null ? pin.qualifyingParticipant() : qualifyingParticipant.test(npi);
    }

    /** R12: month end, or the date of death when it falls in the month (edge case 7). */
    static LocalDate dateOfService(PatientBillingRecord record, YearMonth month) {
        LocalDate dateOfDeath = record.calendar().dateOfDeath();
        if (dateOfDeath != null && YearMonth.from(dateOfDeath).equals(month)) {
            return dateOfDeath;
        }
        return month.atEndOfMonth();
    }

    private static List<StatementLine> lines(List<BillingLine> lines, LocalDate dateOfService) {
        return lines.stream().map(l -> new StatementLine(l.code(), l.units(), l.unitAmount().value().orElse(null),
                                                         dateOfService, l.basis())).toList();
    }

}
