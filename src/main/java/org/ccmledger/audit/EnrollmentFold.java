package org.ccmledger.audit;

import java.time.Instant;
import java.time.LocalDate;
import java.time.YearMonth;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import org.ccmledger.caretime.api.CareMinutesCorrected;
import org.ccmledger.caretime.api.CareMinutesLogged;
import org.ccmledger.caretime.api.CareMinutesVoided;
import org.ccmledger.consent.api.ConsentPeriods;
import org.ccmledger.ledger.StoredEvent;
import org.ccmledger.patient.BillingPractitionerChanged;
import org.ccmledger.patient.ComplexityAttested;
import org.ccmledger.patient.ConcurrentServiceRecorded;
import org.ccmledger.patient.InitiatingVisitRecorded;
import org.ccmledger.patient.InpatientStayRecorded;
import org.ccmledger.patient.PatientDied;
import org.ccmledger.patient.PatientDisenrolled;
import org.ccmledger.patient.PatientEnrolled;
import org.ccmledger.platform.axon.Provenance;
import org.ccmledger.platform.axon.StoredEventPayloads;

/** What a patient's enrollment stream says for an audit packet, folded in order. */
final class EnrollmentFold {

    private final StoredEventPayloads payloads;
    PatientEnrolled enrolled;
    Instant enrolledAt;
    final List<BillingPractitionerChanged> changes = new ArrayList<>();
    ConsentPeriods<String> consents = ConsentPeriods.none();
    final List<AuditPacket.Visit> visits = new ArrayList<>();
    final List<AuditPacket.ClinicalFact> facts = new ArrayList<>();
    final Map<String, PacketEvidence.EntryHistory> entries = new LinkedHashMap<>();
    LocalDate death;
    Instant disenrolled;

    EnrollmentFold(StoredEventPayloads payloads) {
        this.payloads = payloads;
    }

    void apply(StoredEvent stored, YearMonth month) {
        Object event = payloads.payload(stored);
        Map<String, Object> meta = payloads.metaData(stored);
        String actor = PacketEvidence.actor(meta);
        consents = consents.apply(event, stored.eventIdentifier());
        if (event instanceof PatientEnrolled e) {
            enrolled = e;
            enrolledAt = stored.recordedAt();
        } else if (event instanceof BillingPractitionerChanged e) {
            changes.add(e);
        } else if (event instanceof InitiatingVisitRecorded e) {
            visits.add(new AuditPacket.Visit(e.visitDate(), e.visitType().name(), e.emLevel(),
                                             e.practitioner().value(), e.comprehensiveCarePlanning(),
                                             stored.eventIdentifier()));
        } else if (event instanceof CareMinutesLogged e) {
            entries.put(e.entryId().value(), new PacketEvidence.EntryHistory(
                    e, stored.recordedAt(), actor, stored.eventIdentifier(), Provenance.originallyRecordedAt(meta)));
        } else if (event instanceof CareMinutesCorrected e && entries.containsKey(e.entryId().value())) {
            entries.get(e.entryId().value()).corrected(e, stored, actor);
        } else if (event instanceof CareMinutesVoided e && entries.containsKey(e.entryId().value())) {
            entries.get(e.entryId().value()).voided(e, stored, actor);
        } else if (event instanceof ComplexityAttested e && e.month().equals(month)) {
            facts.add(new AuditPacket.ClinicalFact("COMPLEXITY_ATTESTED", e.medicalDecisionMaking()
                    + " medical decision making, attested by " + e.attestedBy(), stored.eventIdentifier()));
        } else if (event instanceof InpatientStayRecorded e && !e.admittedOn().isAfter(month.atEndOfMonth())
                   && !e.dischargedOn().isBefore(month.atDay(1))) {
            facts.add(new AuditPacket.ClinicalFact("INPATIENT_STAY", e.admittedOn() + " to " + e.dischargedOn(),
                                                   stored.eventIdentifier()));
        } else if (event instanceof ConcurrentServiceRecorded e && e.month().equals(month)) {
            String npi = e.practitioner() == null ? null : e.practitioner().value();
            facts.add(new AuditPacket.ClinicalFact("CONCURRENT_SERVICE", e.code() + " (" + e.kind() + ") by NPI "
                    + (npi == null ? "unknown" : npi), e.code(), e.kind().name(), npi, stored.eventIdentifier()));
        } else if (event instanceof PatientDied e) {
            death = e.dateOfDeath();
        } else if (event instanceof PatientDisenrolled e) {
            disenrolled = e.effectiveAt();
        }
    }
}
