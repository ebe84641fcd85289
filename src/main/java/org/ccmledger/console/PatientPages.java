package org.ccmledger.console;

import java.time.Instant;
import java.time.LocalDateTime;
import java.time.YearMonth;
import java.time.format.DateTimeFormatter;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;

import org.ccmledger.audit.api.FindPatientEvents;
import org.ccmledger.audit.api.FindPatientEvents.RecordedPatientEvent;
import org.ccmledger.billing.api.BillingViews.PatientMonthView;
import org.ccmledger.billing.api.FindBillingMonth;
import org.ccmledger.caretime.api.CareActivity;
import org.ccmledger.caretime.api.CareTimeRequester;
import org.ccmledger.caretime.api.FindMonthlyMinutes;
import org.ccmledger.caretime.api.MonthlyMinutes;
import org.ccmledger.caretime.api.PerformerRole;
import org.ccmledger.patient.EnrollmentId;
import org.ccmledger.platform.security.Caller;
import org.ccmledger.platform.security.Role;
import org.ccmledger.platform.web.CommandSender;
import org.springframework.http.HttpStatus;
import org.springframework.stereotype.Component;
import org.springframework.web.reactive.result.view.Rendering;

import reactor.core.publisher.Mono;

/**
 * A patient's page, put together from the features' queries: their events as the ledger knew them (folded into
 * {@link PatientRecord}), the month's billing (billing, compliance) as known then, the month's countable minutes, and
 * the care-time form's defaults. The time-travel instant is the compliance officer's (as {@code GET .../history}).
 */
@Component
class PatientPages {

    static final DateTimeFormatter LOCAL_INPUT = DateTimeFormatter.ofPattern("yyyy-MM-dd'T'HH:mm");

    private final CommandSender sender;

    PatientPages(CommandSender sender) {
        this.sender = sender;
    }

    /** What the care-time form shows after it was refused: the values sent and the refusal in words. */
    record FormState(String form, String entryId, String field, String message, String rule,
                     String endedAt, String minutes, String role, String activity, String note, String reason) {
    }

    /** {@code emergency}: the reason of an emergency (break-glass) read of the page, {@code null} for any other. */
    Mono<Rendering> page(Caller caller, EnrollmentId id, YearMonth month, Instant asOf, FormState refused,
                         String emergency) {
        Instant knownAt = caller.has(Role.COMPLIANCE_OFFICER) ? asOf : null;
        boolean seesBilling = caller.hasAny(List.of(Role.BILLING, Role.COMPLIANCE_OFFICER));
        Mono<List<RecordedPatientEvent>> events = sender.queryList(new FindPatientEvents(id, knownAt),
                                                                   RecordedPatientEvent.class);
        Mono<Optional<PatientMonthView>> billing = seesBilling
                ? optional(sender.query(new FindBillingMonth(id, month, knownAt), PatientMonthView.class))
                : Mono.just(Optional.empty());
        Mono<Optional<MonthlyMinutes>> minutes = knownAt == null
                ? optional(sender.query(new FindMonthlyMinutes(id, month), MonthlyMinutes.class))
                : Mono.just(Optional.empty());
        return Pages.rendered(Mono.zip(events, billing, minutes).map(found -> {
            PatientRecord record = PatientRecord.fold(found.getT1(), month, caller.user());
            // whose entries the page lists, as the API gives them: every entry to compliance (the patient's history)
            // and to an emergency read; to anyone else their own, the others only in the totals and the day bars
            boolean seesEveryEntry = emergency != null || caller.has(Role.COMPLIANCE_OFFICER);
            List<PatientRecord.EntryRow> shownEntries = seesEveryEntry ? record.entries()
                    : record.entries().stream().filter(e -> e.performer().equals(caller.user())).toList();
            List<PatientRecord.EntryRow> othersStanding = record.entries().stream()
                    .filter(e -> !shownEntries.contains(e) && !e.voided()).toList();
            Times times = new Times(record.zone());
            Set<PerformerRole> roles = mayLogAs(caller);
            PerformerRole defaultRole = roles.contains(PerformerRole.CLINICAL_STAFF) ? PerformerRole.CLINICAL_STAFF
                    : roles.stream().findFirst().orElse(null);
            CareActivity activity = record.lastActivity() == null ? CareActivity.CARE_COORDINATION
                    : record.lastActivity();
            String now = LOCAL_INPUT.format(LocalDateTime.ofInstant(Instant.now().truncatedTo(ChronoUnit.MINUTES),
                                                                    record.zone()));
            Rendering.Builder<?> page = Rendering.view("console/patient")
                    .status(refused == null ? HttpStatus.OK : HttpStatus.UNPROCESSABLE_CONTENT)
                    .modelAttribute("practiceId", id.practiceId().value())
                    .modelAttribute("patientId", id.patientId().value())
                    .modelAttribute("month", month.toString())
                    .modelAttribute("previousMonth", month.minusMonths(1).toString())
                    .modelAttribute("nextMonth", month.plusMonths(1).toString())
                    .modelAttribute("asOf", knownAt == null ? "" : DateTimeFormatter.ISO_LOCAL_DATE_TIME.format(
                            LocalDateTime.ofInstant(knownAt.truncatedTo(ChronoUnit.SECONDS), java.time.ZoneOffset.UTC)))
                    .modelAttribute("timeTravel", caller.has(Role.COMPLIANCE_OFFICER))
                    .modelAttribute("knownAt", knownAt == null ? "" : times.utc(knownAt))
                    .modelAttribute("record", record)
                    .modelAttribute("entries", shownEntries)
                    .modelAttribute("otherEntries", othersStanding.size())
                    .modelAttribute("otherMinutes", othersStanding.stream()
                                                                  .mapToInt(PatientRecord.EntryRow::minutes).sum())
                    .modelAttribute("t", times)
                    .modelAttribute("bars", DayBars.of(month, record.zone(), record.live(),
                                                     knownAt == null ? Instant.now() : knownAt))
                    .modelAttribute("canLog", !roles.isEmpty() && knownAt == null)
                    .modelAttribute("performerRoles", new ArrayList<>(roles))
                    .modelAttribute("activities", List.of(CareActivity.values()))
                    .modelAttribute("packet", caller.hasAny(List.of(Role.COMPLIANCE_OFFICER, Role.AUDITOR)))
                    .modelAttribute("emergency", emergency == null ? "" : emergency)
                    // as GET .../care-plan and .../care-plan/history admit; in an emergency the plan is what is needed
                    .modelAttribute("seesPlan", emergency != null || caller.hasAny(List.of(Role.CARE_STAFF,
                            Role.BILLING_PRACTITIONER, Role.COMPLIANCE_OFFICER)))
                    .modelAttribute("seesPlanHistory", caller.hasAny(List.of(Role.BILLING_PRACTITIONER,
                                                                             Role.COMPLIANCE_OFFICER)))
                    .modelAttribute("formId", UUID.randomUUID().toString())
                    .modelAttribute("form", refused != null ? refused : new FormState(
                            "log", null, null, null, null, now, "", defaultRole == null ? "" : defaultRole.name(),
                            activity.name(), "", ""));
            found.getT2().ifPresent(view -> page.modelAttribute("billing", view));
            found.getT3().ifPresent(view -> page.modelAttribute("minutes", view));
            return page.build();
        }));
    }

    /** The performer roles the caller logs time as: their own practitioner time, or staff time (as the API). */
    static Set<PerformerRole> mayLogAs(Caller caller) {
        Set<PerformerRole> roles = EnumSet.noneOf(PerformerRole.class);
        if (caller.has(Role.CARE_STAFF)) {
            roles.addAll(EnumSet.complementOf(EnumSet.of(PerformerRole.BILLING_PRACTITIONER)));
        }
        if (caller.has(Role.BILLING_PRACTITIONER)) {
            roles.add(PerformerRole.BILLING_PRACTITIONER);
        }
        return roles;
    }

    static CareTimeRequester requester(Caller caller) {
        return new CareTimeRequester(caller.user(), mayLogAs(caller));
    }

    /** A view that may not exist (no billing record yet): absent rather than a failed page. */
    private static <T> Mono<Optional<T>> optional(Mono<T> query) {
        return query.map(Optional::of)
                    .onErrorResume(e -> ConsoleAdvice.refusal(e).isPresent(), e -> Mono.just(Optional.empty()));
    }
}
