package org.ccmledger.audit;

import java.time.LocalDate;
import java.time.YearMonth;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.stream.Collectors;

import org.ccmledger.audit.AuditPacket.CarePlanVersion;
import org.ccmledger.audit.AuditPacket.ConsentEvidence;
import org.ccmledger.audit.AuditPacket.Difference;
import org.ccmledger.audit.AuditPacket.Person;
import org.ccmledger.audit.AuditPacket.TimeEntry;
import org.ccmledger.billing.api.BillingAdjustmentIssued;
import org.ccmledger.billing.api.BillingMinutes;
import org.ccmledger.billing.api.BillingStatementIssued;
import org.ccmledger.billing.api.BillingViews.LineView;
import org.ccmledger.billing.api.BillingViews.PatientMonthView;
import org.ccmledger.billing.api.Reason;
import org.ccmledger.billing.api.StatementLine;
import org.ccmledger.practice.api.PracticeProfile;
import org.ccmledger.practice.api.StaffMember;

/** The packet's first page, the differences between what was billed and the month now, and the people it names. */
final class PacketFindings {

    private PacketFindings() {
    }

    /** What stands billed: the last adjustment's lines, else the statement's; {@code null} before close. */
    private static List<StatementLine> standing(BillingStatementIssued statement,
                                                List<BillingAdjustmentIssued> adjustments) {
        if (statement == null) {
            return null;
        }
        return adjustments.isEmpty() ? statement.lines() : adjustments.get(adjustments.size() - 1).lines();
    }

    private static BillingMinutes standingMinutes(BillingStatementIssued statement,
                                                  List<BillingAdjustmentIssued> adjustments) {
        return adjustments.isEmpty() ? statement.minutes() : adjustments.get(adjustments.size() - 1).minutes();
    }

    static String lines(List<StatementLine> lines) {
        return lines.isEmpty() ? "none" : lines.stream().map(l -> l.code() + " x" + l.units())
                                               .collect(Collectors.joining(", "));
    }

    private static String viewLines(List<LineView> lines) {
        return lines.isEmpty() ? "none" : lines.stream().map(l -> l.code() + " x" + l.units())
                                               .collect(Collectors.joining(", "));
    }

    static List<Difference> differences(BillingStatementIssued statement, List<BillingAdjustmentIssued> adjustments,
                                        PatientMonthView now) {
        List<StatementLine> billed = standing(statement, adjustments);
        if (billed == null) {
            return List.of();
        }
        List<Difference> differences = new ArrayList<>();
        add(differences, "family", statement.family().name(), now.family());
        add(differences, "lines", lines(billed), viewLines(now.lines()));
        add(differences, "total", StatementLine.total(billed).toString(), now.totalAmount());
        BillingMinutes minutes = standingMinutes(statement, adjustments);
        if (minutes != null && now.minutes() != null) {
            add(differences, "minutes counted", String.valueOf(minutes.counted()),
                String.valueOf(now.minutes().counted()));
        }
        add(differences, "billing practitioner", statement.billingPractitioner(), now.billingPractitioner());
        return differences;
    }

    private static void add(List<Difference> differences, String field, String billed, String now) {
        if (!Objects.equals(billed, now)) {
            differences.add(new Difference(field, billed, now));
        }
    }

    static AuditPacket.Summary summary(BillingStatementIssued statement, List<BillingAdjustmentIssued> adjustments,
                                       PatientMonthView now, List<ConsentEvidence> consents,
                                       CarePlanVersion plan, List<TimeEntry> entries, LocalDate death,
                                       YearMonth month) {
        List<StatementLine> billed = standing(statement, adjustments);
        String status = now.status().name();
        String family;
        List<String> codes;
        String amount;
        int counted;
        if (billed != null) {
            family = statement.family().name();
            codes = billed.stream().map(l -> l.code() + " x" + l.units()).toList();
            amount = StatementLine.total(billed).toString();
            BillingMinutes minutes = standingMinutes(statement, adjustments);
            counted = minutes == null ? 0 : minutes.counted();
        } else {
            family = now.family();
            codes = now.lines().stream().map(l -> l.code() + " x" + l.units()).toList();
            amount = now.totalAmount();
            counted = now.minutes() == null ? 0 : now.minutes().counted();
        }
        List<String> why = new ArrayList<>();
        BillingMinutes minutes = billed != null ? standingMinutes(statement, adjustments) : now.minutes();
        if (minutes != null) {
            why.add(minutes.counted() + " minutes counted (clinical staff " + minutes.staff()
                    + ", billing practitioner " + minutes.billingPractitioner() + ")");
        }
        consents.stream().filter(c -> "ACCEPTED".equals(c.decision())).reduce((a, b) -> b).ifPresent(c -> why.add(
                "consent " + c.method() + " obtained " + c.obtainedAt().toLocalDate()
                + (c.relativeToFirstCountedMinute() == null ? ""
                        : ", " + c.relativeToFirstCountedMinute() + " the month's first counted minute")));
        if (plan != null) {
            why.add("care plan version " + plan.version() + " in force, "
                    + (plan.sharedWithPatientAt() == null ? "not recorded as shared with the patient"
                            : "shared with the patient " + plan.sharedWithPatientAt().toLocalDate()));
        }
        List<String> blockers = now.blockers().stream().map(Reason::toString).toList();
        Set<String> flags = new LinkedHashSet<>();
        if (statement != null) {
            statement.flags().forEach(f -> flags.add(f.toString()));
        }
        now.flags().forEach(f -> flags.add(f.toString()));
        entries.stream().filter(TimeEntry::late).forEach(t -> flags.add(
                "entry " + t.entryId() + " recorded " + t.recordedDaysAfter() + " days after the care ("
                + t.performedAt().toLocalDate() + ", recorded " + t.recordedAt().toLocalDate() + ")"));
        consents.stream().filter(c -> Boolean.FALSE.equals(c.obtainedBeforeFirstCountedMinute())
                                      && "ACCEPTED".equals(c.decision()))
                .forEach(c -> flags.add("consent obtained " + c.relativeToFirstCountedMinute()
                                        + " the month's first counted minute (R8)"));
        if (plan != null && plan.sharedWithPatientAt() == null) {
            flags.add("care plan version " + plan.version() + " never recorded as shared with the patient (R10)");
        }
        if (death != null && statement != null && statement.dateOfService().isAfter(death)) {
            flags.add("date of service " + statement.dateOfService() + " after the date of death " + death);
        }
        if (statement != null && !differences(statement, adjustments, now).isEmpty()) {
            flags.add("the month as evaluated now differs from what was billed (see \"The month now\")");
        }
        return new AuditPacket.Summary(status, family, codes, amount, counted, why, blockers, List.copyOf(flags));
    }

    /** Every id the packet names, with a name and credential where the directory or the profile has them. */
    static Map<String, Person> people(Map<String, StaffMember> directory, PracticeProfile profile,
                                      AuditPacket.Enrollment enrollment, List<ConsentEvidence> consents,
                                      List<CarePlanVersion> plans, List<AuditPacket.Visit> visits,
                                      List<TimeEntry> entries, BillingStatementIssued statement,
                                      List<BillingAdjustmentIssued> adjustments) {
        Set<String> ids = new LinkedHashSet<>();
        ids.add(enrollment.billingPractitioner());
        enrollment.practitionerChanges().forEach(c -> {
            ids.add(c.from());
            ids.add(c.to());
        });
        consents.forEach(c -> {
            ids.add(c.billingPractitioner());
            ids.add(c.obtainedBy());
        });
        plans.forEach(p -> ids.add(p.revisedBy()));
        visits.forEach(v -> ids.add(v.practitioner()));
        entries.forEach(t -> {
            ids.add(t.performerId());
            ids.add(t.recordedBy());
            t.changes().forEach(c -> ids.add(c.actor()));
        });
        if (statement != null) {
            ids.add(statement.billingPractitioner());
        }
        adjustments.forEach(a -> ids.add(a.billingPractitioner()));
        ids.remove(null);
        Map<String, Person> people = new LinkedHashMap<>();
        for (String id : ids) {
            people.put(id, person(id, directory, profile));
        }
        return people;
    }

    private static Person person(String id, Map<String, StaffMember> directory, PracticeProfile profile) {
        StaffMember member = directory.get(id);
        if (member == null) {
            member = directory.values().stream().filter(m -> id.equals(m.npi())).findFirst().orElse(null);
        }
        if (member != null) {
            return new Person(id, member.name(), member.credential(), member.npi(), true);
        }
        PracticeProfile.PractitionerName named = profile == null ? null : profile.practitioners().get(id);
        if (named != null) {
            return new Person(id, named.givenName() + " " + named.familyName(), null, id, false);
        }
        return new Person(id, null, null, null, false);
    }
}
