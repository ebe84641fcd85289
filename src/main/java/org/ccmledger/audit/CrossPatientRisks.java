package org.ccmledger.audit;

import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import org.ccmledger.audit.AuditPacket.TimeEntry;
import org.ccmledger.audit.RiskRules.Risk;
import org.ccmledger.patient.EnrollmentId;

/**
 * The OIG risks one packet cannot show alone: the same beneficiary billed for the month under another enrollment, and
 * one clinician's standing time overlapping across patients. Pure; each finding is made as {@link RiskRules} makes
 * the others.
 */
final class CrossPatientRisks {

    private CrossPatientRisks() {
    }

    /** Another enrollment with the same beneficiary that has a statement for the month. */
    record OtherClaim(EnrollmentId enrollment, String billingPractitioner) {
    }

    /** The same beneficiary billed for the month under another enrollment: another practitioner or practice. */
    static List<RiskFinding> duplicates(AuditPacket p, List<OtherClaim> others) {
        if (RiskRules.billed(p).isEmpty() || others.isEmpty()) {
            return List.of();
        }
        List<String> where = new ArrayList<>();
        for (OtherClaim other : others) {
            boolean samePractice = other.enrollment().practiceId().value().equals(p.practiceId());
            // another practice's patients are never named to this one: only that one exists
            where.add(samePractice ? "patient " + other.enrollment().patientId().value() + " of this practice, by NPI "
                                     + other.billingPractitioner()
                    : "another practice in this ledger");
        }
        return List.of(RiskRules.finding(p, Risk.DUPLICATE_BENEFICIARY_MONTH, "the same beneficiary (matched by the keyed "
                + "hash of the MBI) also has CCM billed for " + p.month() + ": " + String.join("; ", where),
                List.of(RiskRules.standingId(p))));
    }

    static int minutes(TimeEntry t) {
        int minutes = t.minutes();
        for (var c : t.changes()) {
            if (c.minutes() != null) {
                minutes = c.minutes();
            }
        }
        return minutes;
    }

    /** One clinician's standing entries for two different patients whose minutes overlap. */
    static List<RiskFinding> overlaps(List<AuditPacket> packets) {
        record Slot(AuditPacket packet, TimeEntry entry, Instant from, Instant to) {
        }
        Map<String, List<Slot>> byPerformer = new LinkedHashMap<>();
        for (AuditPacket p : packets) {
            for (TimeEntry t : p.timeEntries()) {
                if (!"VOIDED".equals(t.status())) {
                    Instant from = RiskRules.start(t);
                    byPerformer.computeIfAbsent(t.performerId(), k -> new ArrayList<>())
                               .add(new Slot(p, t, from, from.plusSeconds(60L * minutes(t))));
                }
            }
        }
        List<RiskFinding> found = new ArrayList<>();
        for (var performer : byPerformer.entrySet()) {
            List<Slot> slots = performer.getValue().stream().sorted(Comparator.comparing(Slot::from)).toList();
            for (int i = 0; i < slots.size(); i++) {
                for (int j = i + 1; j < slots.size() && slots.get(j).from().isBefore(slots.get(i).to()); j++) {
                    Slot a = slots.get(i);
                    Slot b = slots.get(j);
                    if (a.packet().patientId().equals(b.packet().patientId())) {
                        continue;
                    }
                    for (Slot[] pair : new Slot[][] {{a, b}, {b, a}}) {
                        found.add(RiskRules.finding(pair[0].packet(), Risk.OVERLAPPING_CLINICIAN_TIME, performer.getKey()
                                + " logged entry " + pair[0].entry().entryId() + " for this patient and entry "
                                + pair[1].entry().entryId() + " for patient " + pair[1].packet().patientId()
                                + " over the same minutes", List.of(pair[0].entry().eventId(),
                                                                    pair[1].entry().eventId())));
                    }
                }
            }
        }
        return found;
    }
}
