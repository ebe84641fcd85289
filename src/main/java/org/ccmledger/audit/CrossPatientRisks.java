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
     * entry, naming up to {@value #PARTNERS_NAMED} of the entries it overlaps (the earliest-starting of those nearest
     * it) and counting the others. A clinician whose time was logged for thousands of patients at once (a bulk import
     * gone wrong) makes one finding per entry, found without walking every pair: the overlaps are counted with two
     * binary searches (entries starting before this one ends, less those ended by the time it starts) less the
     * patient's own.
     */
    static List<RiskFinding> overlaps(List<AuditPacket> packets) {
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
        byPerformer.forEach((performer, all) -> found.addAll(overlapsOf(performer, all)));
        return found;
    }

    /** A clinician's standing entry and the minutes it covers, {@code [from, to)}. */
    private record Slot(AuditPacket packet, TimeEntry entry, Instant from, Instant to) {

        boolean overlaps(Slot other) {
            return other.from.isBefore(to) && other.to.isAfter(from);
        }

        boolean samePatient(Slot other) {
            return packet.patientId().equals(other.packet.patientId());
        }
    }

    private static List<RiskFinding> overlapsOf(String performer, List<Slot> all) {
        List<Slot> slots = all.stream().sorted(Comparator.comparing(Slot::from).thenComparing(Slot::to)).toList();
        Instant[] froms = slots.stream().map(Slot::from).toArray(Instant[]::new);
        Instant[] tos = slots.stream().map(Slot::to).sorted().toArray(Instant[]::new);
        long longest = 0;
        Map<String, List<Slot>> byPatient = new java.util.HashMap<>();
        for (Slot slot : slots) {
            longest = Math.max(longest, java.time.Duration.between(slot.from(), slot.to()).getSeconds());
            byPatient.computeIfAbsent(slot.packet().patientId(), k -> new ArrayList<>()).add(slot);
        }
        List<RiskFinding> found = new ArrayList<>();
        for (int i = 0; i < slots.size(); i++) {
            Slot slot = slots.get(i);
            // entries starting before this one ends, less those that ended by the time it starts, less the patient's own
            int others = before(froms, slot.to(), false) - before(tos, slot.from(), true);
            for (Slot own : byPatient.get(slot.packet().patientId())) {
                if (slot.overlaps(own)) {
                    others--;
                }
            }
            if (others <= 0) {
                continue;
            }
            List<Slot> near = new ArrayList<>();
            for (int j = i + 1; j < slots.size() && slots.get(j).from().isBefore(slot.to())
                                && near.size() < PARTNERS_NAMED; j++) {
                if (!slot.samePatient(slots.get(j)) && slot.overlaps(slots.get(j))) {
                    near.add(slots.get(j));
                }
            }
            Instant reach = slot.from().minusSeconds(longest);
            int earlier = 0;
            for (int j = i - 1; j >= 0 && !slots.get(j).from().isBefore(reach) && earlier < PARTNERS_NAMED; j--) {
                if (!slot.samePatient(slots.get(j)) && slot.overlaps(slots.get(j))) {
                    near.add(slots.get(j));
                    earlier++;
                }
            }
            List<Slot> named = near.stream().sorted(Comparator.comparing(Slot::from)).limit(PARTNERS_NAMED).toList();
            List<String> entries = new ArrayList<>();
            named.forEach(o -> entries.add("entry " + o.entry().entryId() + " for patient " + o.packet().patientId()));
            String more = others > named.size() ? " and " + (others - named.size())
                                                   + " more entries for other patients" : "";
            List<String> evidence = new ArrayList<>(List.of(slot.entry().eventId()));
            named.forEach(o -> evidence.add(o.entry().eventId()));
            found.add(RiskRules.finding(slot.packet(), Risk.OVERLAPPING_CLINICIAN_TIME, performer + " logged entry "
                    + slot.entry().entryId() + " for this patient and " + String.join(", ", entries) + more
                    + " over the same minutes", evidence));
        }
        return found;
    }

    /** How many of the sorted instants are before {@code at} (or at it too, with {@code orAt}). */
    private static int before(Instant[] sorted, Instant at, boolean orAt) {
        int low = 0;
        int high = sorted.length;
        while (low < high) {
            int mid = (low + high) >>> 1;
            int c = sorted[mid].compareTo(at);
            if (c < 0 || (orAt && c == 0)) {
                low = mid + 1;
            } else {
                high = mid;
            }
        }
        return low;
    }
}
