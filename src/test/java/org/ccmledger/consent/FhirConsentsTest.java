package org.ccmledger.consent;

import static org.assertj.core.api.Assertions.assertThat;
import static org.ccmledger.consent.ConsentMother.ALL_FOUR;
import static org.ccmledger.consent.ConsentMother.NEXT;
import static org.ccmledger.consent.ConsentMother.NPI;

import java.time.Instant;
import java.util.List;

import org.ccmledger.consent.api.ConsentDecision;
import org.ccmledger.consent.api.ConsentMethod;
import org.ccmledger.consent.api.ConsentStatus;
import org.ccmledger.consent.api.ConsentView;
import org.ccmledger.consent.api.Disclosures;
import org.ccmledger.consent.api.PatientConsents;
import org.ccmledger.support.FhirValidation;
import org.hl7.fhir.r4.model.BooleanType;
import org.hl7.fhir.r4.model.Bundle;
import org.hl7.fhir.r4.model.Consent;
import org.hl7.fhir.r4.model.Extension;
import org.hl7.fhir.r4.model.Identifier;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

class FhirConsentsTest {

    private static final Instant JANUARY = Instant.parse("2026-01-01T15:00:00Z");
    private static final Instant JUNE = Instant.parse("2026-06-01T04:00:00Z");

    private final ConsentView revoked = new ConsentView("0b1a4a9e-7c0e-3c5e-9a43-9b1d7d0b1c11",
            ConsentDecision.ACCEPTED, ConsentStatus.REVOKED, ConsentMethod.VERBAL, JANUARY, "rn-7", NPI, "note-123",
            ALL_FOUR, JUNE, new ConsentView.Revocation(Instant.parse("2026-05-10T18:00:00Z"), JUNE, "asked to stop"),
            null);
    private final ConsentView declined = new ConsentView("1b1a4a9e-7c0e-3c5e-9a43-9b1d7d0b1c11",
            ConsentDecision.DECLINED, ConsentStatus.DECLINED, ConsentMethod.WRITTEN,
            Instant.parse("2026-07-01T15:00:00Z"), "rn-8", NPI, null, ALL_FOUR, null, null, null);
    private final ConsentView ended = new ConsentView("2b1a4a9e-7c0e-3c5e-9a43-9b1d7d0b1c11",
            ConsentDecision.ACCEPTED, ConsentStatus.ENDED_BY_PRACTITIONER_CHANGE, ConsentMethod.VERBAL,
            Instant.parse("2026-08-01T15:00:00Z"), "rn-7", NPI, "note-123", ALL_FOUR,
            Instant.parse("2026-09-01T04:00:00Z"),
            null, new ConsentView.PractitionerChange(Instant.parse("2026-09-01T04:00:00Z"), NEXT));
    private final ConsentView inForce = new ConsentView("3b1a4a9e-7c0e-3c5e-9a43-9b1d7d0b1c11",
            ConsentDecision.ACCEPTED, ConsentStatus.IN_FORCE, ConsentMethod.WRITTEN,
            Instant.parse("2026-09-01T05:00:00Z"), "rn-7", NEXT, "scan-77", ALL_FOUR, null, null, null);
    private final PatientConsents consents = new PatientConsents("p1", "pt_7",
                                                                 List.of(revoked, declined, ended, inForce));

    private List<Consent> resources() {
        return FhirValidation.parseBundle(FhirConsents.bundleJson(consents)).getEntry().stream()
                             .map(entry -> (Consent) entry.getResource()).toList();
    }

    private static Extension extension(Consent consent, String name) {
        return consent.getExtensionByUrl(FhirConsents.EXTENSION_BASE + name);
    }

    @Test
    @DisplayName("R8: every decision is a Consent that passes HAPI's R4 instance validator with no error")
    void everyConsentValidates() {
        String json = FhirConsents.bundleJson(consents);

        FhirValidation.assertValidBundle(json);
        Bundle bundle = FhirValidation.parseBundle(json);
        assertThat(bundle.getType()).isEqualTo(Bundle.BundleType.COLLECTION);
        assertThat(bundle.getEntry()).extracting(Bundle.BundleEntryComponent::getFullUrl).containsExactly(
                "urn:uuid:" + revoked.consentId(), "urn:uuid:" + declined.consentId(),
                "urn:uuid:" + ended.consentId(), "urn:uuid:" + inForce.consentId());
        FhirValidation.assertValidBundle(FhirConsents.bundleJson(new PatientConsents("p1", "pt-8", List.of())));
    }

    @Test
    @DisplayName("R8: active in force, inactive once revoked or ended, rejected when declined; deny when declined")
    void statusesAndProvisionTypes() {
        assertThat(resources()).extracting(Consent::getStatus).containsExactly(
                Consent.ConsentState.INACTIVE, Consent.ConsentState.REJECTED, Consent.ConsentState.INACTIVE,
                Consent.ConsentState.ACTIVE);
        assertThat(resources()).extracting(consent -> consent.getProvision().getType()).containsExactly(
                Consent.ConsentProvisionType.PERMIT, Consent.ConsentProvisionType.DENY,
                Consent.ConsentProvisionType.PERMIT, Consent.ConsentProvisionType.PERMIT);
        assertThat(resources()).extracting(consent -> consent.getIdElement().getIdPart()).containsExactly(
                revoked.consentId(), declined.consentId(), ended.consentId(), inForce.consentId());
    }

    @Test
    @DisplayName("R8: the provision runs from when consent was obtained until the revocation takes effect")
    void provisionPeriodAndPractitioner() {
        Consent first = resources().get(0);

        assertThat(first.getDateTimeElement().getValueAsString()).isEqualTo("2026-01-01T15:00:00Z");
        assertThat(first.getProvision().getPeriod().getStartElement().getValueAsString())
                .isEqualTo("2026-01-01T15:00:00Z");
        assertThat(first.getProvision().getPeriod().getEndElement().getValueAsString())
                .isEqualTo("2026-06-01T04:00:00Z");
        assertThat(resources().get(2).getProvision().getPeriod().getEndElement().getValueAsString())
                .isEqualTo("2026-09-01T04:00:00Z");
        assertThat(resources().get(3).getProvision().getPeriod().hasEnd()).isFalse();
        assertThat(first.getProvision().getActorFirstRep().getReference().getIdentifier().getValue())
                .isEqualTo(NPI.value());
        assertThat(resources().get(3).getProvision().getActorFirstRep().getReference().getReference())
                .isEqualTo("Practitioner/" + NEXT.value());
        assertThat(first.getScope().getCodingFirstRep().getCode()).isEqualTo("treatment");
        assertThat(first.getPolicyFirstRep().getUri()).isEqualTo(FhirConsents.POLICY);
    }

    @Test
    @DisplayName("R8: the method, who obtained it, the four disclosures and the document are recorded")
    void methodDisclosuresAndDocument() {
        Consent first = resources().get(0);

        assertThat(extension(first, "consent-method").getValue().primitiveValue()).isEqualTo("verbal");
        assertThat(extension(resources().get(1), "consent-method").getValue().primitiveValue()).isEqualTo("written");
        assertThat(extension(first, "consent-obtained-by").getValue().primitiveValue()).isEqualTo("rn-7");
        Extension disclosures = extension(first, "r8-disclosures");
        assertThat(disclosures.getExtension()).extracting(Extension::getUrl).containsExactly(
                "availability", "costSharing", "onePractitionerPerMonth", "rightToStop");
        assertThat(disclosures.getExtension()).allSatisfy(
                e -> assertThat(((BooleanType) e.getValue()).booleanValue()).isTrue());
        Identifier document = first.getSourceReference().getIdentifier();
        assertThat(document.getValue()).isEqualTo("note-123");
        assertThat(first.getSourceReference().getType()).isEqualTo("DocumentReference");
        assertThat(resources().get(1).hasSource()).isFalse();
    }

    @Test
    @DisplayName("R8: a revocation and a practitioner change say when and why the consent ended")
    void revocationAndPractitionerChange() {
        Extension revocation = extension(resources().get(0), "consent-revocation");
        assertThat(revocation.getExtensionByUrl("revokedAt").getValue().primitiveValue())
                .isEqualTo("2026-05-10T18:00:00Z");
        assertThat(revocation.getExtensionByUrl("effectiveAt").getValue().primitiveValue())
                .isEqualTo("2026-06-01T04:00:00Z");
        assertThat(revocation.getExtensionByUrl("reason").getValue().primitiveValue()).isEqualTo("asked to stop");
        assertThat(extension(resources().get(2), "consent-revocation")).isNull();

        Extension change = extension(resources().get(2), "consent-ended-by-practitioner-change");
        assertThat(change.getExtensionByUrl("effectiveAt").getValue().primitiveValue())
                .isEqualTo("2026-09-01T04:00:00Z");
        assertThat(((Identifier) change.getExtensionByUrl("billingPractitioner").getValue()).getValue())
                .isEqualTo(NEXT.value());
    }

    @Test
    @DisplayName("the patient is the subject and grantor, by identifier when the id is no FHIR id")
    void patientAndOrganization() {
        Consent first = resources().get(0);

        assertThat(first.getPatient().hasReference()).isFalse();
        assertThat(first.getPatient().getIdentifier().getValue()).isEqualTo("pt_7");
        assertThat(first.getPerformerFirstRep().getIdentifier().getValue()).isEqualTo("pt_7");
        assertThat(first.getOrganizationFirstRep().getIdentifier().getValue()).isEqualTo("p1");
    }

    @Test
    void aDisclosureNotMadeIsExportedAsFalse() {
        ConsentView partial = new ConsentView("4b1a4a9e-7c0e-3c5e-9a43-9b1d7d0b1c11", ConsentDecision.ACCEPTED,
                ConsentStatus.IN_FORCE, ConsentMethod.VERBAL, JANUARY, "rn-7", NPI, null,
                new Disclosures(true, true, true, false), null, null, null);
        Consent consent = (Consent) FhirValidation.parseBundle(FhirConsents.bundleJson(
                new PatientConsents("p1", "pt-7", List.of(partial)))).getEntryFirstRep().getResource();

        assertThat(extension(consent, "r8-disclosures").getExtensionByUrl("rightToStop").getValue().primitiveValue())
                .isEqualTo("false");
        assertThat(consent.getPatient().getReference()).isEqualTo("Patient/pt-7");
    }

    @Test
    void theSameDecisionsGiveTheSameJson() {
        assertThat(FhirConsents.bundleJson(consents)).isEqualTo(FhirConsents.bundleJson(consents));
    }
}
