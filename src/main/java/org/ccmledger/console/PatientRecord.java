package org.ccmledger.console;

import java.time.Instant;
import java.time.YearMonth;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import org.ccmledger.audit.api.FindPatientEvents.RecordedPatientEvent;
import org.ccmledger.careplan.api.CarePlanRevised;
import org.ccmledger.caretime.api.CareActivity;
import org.ccmledger.caretime.api.CareMinutesCorrected;
import org.ccmledger.caretime.api.CareMinutesLogged;
import org.ccmledger.caretime.api.CareMinutesVoided;
import org.ccmledger.caretime.api.MonthShare;
import org.ccmledger.consent.api.ConsentPeriod;
import org.ccmledger.consent.api.ConsentPeriods;
import org.ccmledger.patient.ChronicCondition;
import org.ccmledger.patient.PatientEnrolled;

/**
 * A patient as the ledger knew them at an instant, folded from their events (as the history endpoint folds them):
 * conditions, consent decisions, care-plan versions, and the time entries that touch a month, each with what later
 * corrected or voided it.
 */
public record PatientRecord(ZoneId zone, String billingPractitioner, List<ChronicCondition> conditions,
                     List<ConsentRow> consents, List<PlanRow> carePlans, List<EntryRow> entries,
                     CareActivity lastActivity, int eventsRead) {

    /** A consent decision and how it ended. */
    public record ConsentRow(String status, String practitioner, String method, Instant obtainedAt, Instant endedAt,
                      String ended) {
    }

    /** A care-plan version, and what it changed from the version before (none for the first). */
    public record PlanRow(int version, Instant revisedAt, String revisedBy, boolean substantial, Instant recordedAt,
                   List<String> problems, List<String> goals, List<PlanChange> changes) {
    }

    /** One part of the care plan as the version before had it and as this version has it. */
    public record PlanChange(String part, String before, String after) {
    }

    /** A change to a time entry: a correction (from and to) or a void, with its reason. */
    public record ChangeRow(String kind, Instant recordedAt, String actor, Instant fromStartedAt, int fromMinutes,
                     Instant toStartedAt, int toMinutes, String reason) {
    }

    /**
     * A time entry as it stands: as first logged (performed at, minutes, recorded at), where it stands now and each
     * change in order.
     */
    public record EntryRow(String entryId, String performer, String role, String activity, Instant loggedStartedAt,
                    int loggedMinutes, Instant recordedAt, Instant startedAt, int minutes, boolean voided,
                    List<ChangeRow> changes) {

        public boolean corrected() {
            return changes.stream().anyMatch(c -> c.kind().equals("CORRECTED"));
        }

        public String voidReason() {
            return changes.stream().filter(c -> c.kind().equals("VOIDED")).map(ChangeRow::reason).findFirst()
                          .orElse(null);
        }
    }

    /** Folds the events (in ledger order) for {@code user}'s view of {@code month}. */
    static PatientRecord fold(List<RecordedPatientEvent> events, YearMonth month, String user) {
        PatientEnrolled enrolled = null;
        String practitioner = null;
        ConsentPeriods<String> consents = ConsentPeriods.none();
        List<PlanRow> plans = new ArrayList<>();
        Map<String, EntryRow> entries = new LinkedHashMap<>();
        CareActivity last = null;
        CarePlanRevised previous = null;
        for (RecordedPatientEvent event : events) {
            Object payload = event.payload();
            if (ConsentPeriods.concerns(payload)) {
                consents = consents.apply(payload, event.eventId());
            }
            if (payload instanceof PatientEnrolled e) {
                enrolled = e;
                practitioner = e.billingPractitioner().value();
            } else if (payload instanceof org.ccmledger.patient.BillingPractitionerChanged e) {
                practitioner = e.billingPractitioner().value();
            } else if (payload instanceof CarePlanRevised r) {
                plans.add(new PlanRow(r.version(), r.revisedAt(), r.revisedBy(), r.substantialRevision(),
                                      event.recordedAt(), r.problems(), r.measurableGoals(),
                                      previous == null ? List.of() : changes(previous, r)));
                previous = r;
            } else if (payload instanceof CareMinutesLogged l) {
                entries.put(l.entryId().value(), new EntryRow(l.entryId().value(), l.performer().id(),
                        l.performer().role().name(), l.activity().name(), l.startedAt(), l.minutes(),
                        event.recordedAt(), l.startedAt(), l.minutes(), false, List.of()));
                if (l.performer().id().equals(user)) {
                    last = l.activity();
                }
            } else if (payload instanceof CareMinutesCorrected c) {
                entries.computeIfPresent(c.entryId().value(), (id, e) -> changed(e, new ChangeRow(
                        "CORRECTED", event.recordedAt(), event.actor(), c.previousStartedAt(), c.previousMinutes(),
                        c.startedAt(), c.minutes(), c.reason()), c.startedAt(), c.minutes(), false));
            } else if (payload instanceof CareMinutesVoided v) {
                entries.computeIfPresent(v.entryId().value(), (id, e) -> changed(e, new ChangeRow(
                        "VOIDED", event.recordedAt(), event.actor(), e.startedAt(), e.minutes(), null, 0,
                        v.reason()), e.startedAt(), e.minutes(), true));
            }
        }
        ZoneId zone = enrolled == null ? ZoneOffset.UTC : enrolled.timeZone();
        List<EntryRow> inMonth = entries.values().stream().filter(e -> touches(e, month, zone)).toList();
        List<ConsentRow> consentRows = consents.decisions().stream().map(PatientRecord::consent).toList();
        return new PatientRecord(zone, practitioner, enrolled == null ? List.of() : enrolled.chronicConditions(),
                                 consentRows, plans, inMonth, last, events.size());
    }

    /** The live entries' minutes, for the chart. */
    List<DayBars.Minutes> live() {
        return entries.stream().filter(e -> !e.voided())
                      .map(e -> new DayBars.Minutes(e.startedAt(), e.minutes())).toList();
    }

    /** The parts of the plan (R10's elements) that differ between two versions, side by side. */
    private static List<PlanChange> changes(CarePlanRevised before, CarePlanRevised after) {
        Map<String, String[]> parts = new LinkedHashMap<>();
        parts.put("Problems", pair(before.problems(), after.problems()));
        parts.put("Expected outcome", pair(before.expectedOutcome(), after.expectedOutcome()));
        parts.put("Measurable goals", pair(before.measurableGoals(), after.measurableGoals()));
        parts.put("Symptom management", pair(before.symptomManagement(), after.symptomManagement()));
        parts.put("Planned interventions", pair(before.plannedInterventions(), after.plannedInterventions()));
        parts.put("Medication management", pair(before.medicationManagement(), after.medicationManagement()));
        parts.put("Community resources", pair(before.communityResources(), after.communityResources()));
        parts.put("Coordination", pair(before.coordination(), after.coordination()));
        parts.put("Review schedule", pair(before.reviewSchedule(), after.reviewSchedule()));
        parts.put("Shared with the patient", pair(before.sharedWithPatientAt(), after.sharedWithPatientAt()));
        List<PlanChange> changes = new ArrayList<>();
        parts.forEach((part, values) -> {
            if (!values[0].equals(values[1])) {
                changes.add(new PlanChange(part, values[0], values[1]));
            }
        });
        return changes;
    }

    private static String[] pair(Object before, Object after) {
        return new String[] {text(before), text(after)};
    }

    private static String text(Object value) {
        if (value == null) {
            return "";
        }
        return value instanceof List<?> list ? String.join("; ", list.stream().map(String::valueOf).toList())
                : value.toString();
    }

    private static EntryRow changed(EntryRow e, ChangeRow change, Instant startedAt, int minutes, boolean voided) {
        List<ChangeRow> changes = new ArrayList<>(e.changes());
        changes.add(change);
        return new EntryRow(e.entryId(), e.performer(), e.role(), e.activity(), e.loggedStartedAt(),
                            e.loggedMinutes(), e.recordedAt(), startedAt, minutes, voided || e.voided(),
                            List.copyOf(changes));
    }

    private static boolean touches(EntryRow e, YearMonth month, ZoneId zone) {
        return MonthShare.split(e.loggedStartedAt(), e.loggedMinutes(), zone).stream()
                         .anyMatch(s -> s.month().equals(month))
               || MonthShare.split(e.startedAt(), e.minutes(), zone).stream().anyMatch(s -> s.month().equals(month));
    }

    private static ConsentRow consent(ConsentPeriod<String> c) {
        String ended = c.end() == null ? null : c.end().kind().name();
        String status = c.accepted() ? ended == null ? "IN_FORCE" : ended : "DECLINED";
        return new ConsentRow(status, c.practitioner().value(), c.method().name(), c.obtainedAt(), c.until(), ended);
    }
}
