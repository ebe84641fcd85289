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

    /** Other patients' entries named in one overlap finding; the rest are counted. */
    static final int PARTNERS_NAMED = 3;

    /**
     * One clinician's standing entries for two different patients whose minutes overlap: one finding for each such
     * entry, naming the first {@value #PARTNERS_NAMED} entries it overlaps (by start) and counting the others, so that
     * a clinician whose time was logged for many patients at once (a bulk import gone wrong) makes as many findings as
     * entries, not one for every pair.
     */
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
            Map<Slot, List<Slot>> partners = new java.util.IdentityHashMap<>();
            for (int i = 0; i < slots.size(); i++) {
                for (int j = i + 1; j < slots.size() && slots.get(j).from().isBefore(slots.get(i).to()); j++) {
                    Slot a = slots.get(i);
                    Slot b = slots.get(j);
                    if (!a.packet().patientId().equals(b.packet().patientId())) {
                        partners.computeIfAbsent(a, k -> new ArrayList<>()).add(b);
                        partners.computeIfAbsent(b, k -> new ArrayList<>()).add(a);
                    }
                }
            }
            for (Slot slot : slots) {
                List<Slot> others = partners.getOrDefault(slot, List.of()).stream()
                                            .sorted(Comparator.comparing(Slot::from)).toList();
                if (others.isEmpty()) {
                    continue;
                }
                List<Slot> named = others.subList(0, Math.min(PARTNERS_NAMED, others.size()));
                List<String> entries = new ArrayList<>();
                named.forEach(o -> entries.add("entry " + o.entry().entryId() + " for patient "
                                               + o.packet().patientId()));
                String more = others.size() > named.size() ? " and " + (others.size() - named.size())
                                                             + " more entries for other patients" : "";
                List<String> evidence = new ArrayList<>(List.of(slot.entry().eventId()));
                named.forEach(o -> evidence.add(o.entry().eventId()));
                found.add(RiskRules.finding(slot.packet(), Risk.OVERLAPPING_CLINICIAN_TIME, performer.getKey()
                        + " logged entry " + slot.entry().entryId() + " for this patient and "
                        + String.join(", ", entries) + more + " over the same minutes", evidence));
            }
        }
        return found;
    }
}
