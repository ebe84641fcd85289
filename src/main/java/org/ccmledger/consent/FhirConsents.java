package org.ccmledger.consent;

import static org.ccmledger.platform.fhir.FhirR4.concept;
import static org.ccmledger.platform.fhir.FhirR4.dateTime;
import static org.ccmledger.platform.fhir.FhirR4.patient;

import java.util.Locale;
import java.util.Objects;

import org.ccmledger.consent.api.ConsentDecision;
import org.ccmledger.consent.api.ConsentView;
import org.ccmledger.consent.api.Disclosures;
import org.ccmledger.consent.api.PatientConsents;
import org.hl7.fhir.r4.model.BooleanType;
import org.hl7.fhir.r4.model.Bundle;
import org.hl7.fhir.r4.model.CodeType;
import org.hl7.fhir.r4.model.CodeableConcept;
import org.hl7.fhir.r4.model.Coding;
import org.hl7.fhir.r4.model.Consent;
import org.hl7.fhir.r4.model.Extension;
import org.hl7.fhir.r4.model.Identifier;
import org.hl7.fhir.r4.model.Period;
import org.hl7.fhir.r4.model.Reference;
import org.hl7.fhir.r4.model.StringType;

import ca.uhn.fhir.context.FhirContext;

/**
 * A patient's consent decisions as FHIR R4: a {@code Bundle} of type {@code collection} holding one {@code Consent}
 * per decision, in the order the ledger recorded them, built with HAPI FHIR and encoded as JSON. The output depends
 * on the decisions alone (no clock, no random ids); each resource's id is the decision's {@code consentId}.
 * <ul>
 *   <li>{@code status}: {@code active} while in force, {@code inactive} once revoked or ended by a change of
 *       billing practitioner, {@code rejected} when the patient declined;</li>
 *   <li>{@code scope} {@code treatment}; {@code category} LOINC 59284-0 (patient consent); {@code patient} and
 *       {@code performer} (the grantor) the patient; {@code organization} the practice, by identifier;
 *       {@code dateTime} when consent was obtained; {@code policy} the CMS rule the consent answers
 *       ({@value #POLICY});</li>
 *   <li>{@code provision}: {@code permit} (accepted) or {@code deny} (declined) of care for the purpose of treatment
 *       by the billing practitioner ({@code actor} of role {@code GRANTEE}, by NPI), over {@code period} from when
 *       consent was obtained to when the revocation or practitioner change takes effect;</li>
 *   <li>{@code sourceReference}: the practice's document reference, as an identifier of a
 *       {@code DocumentReference};</li>
 *   <li>what R4 {@code Consent} has no element for is in extensions of this project ({@value #EXTENSION_BASE}…):
 *       {@code consent-method} (code {@code verbal}/{@code written}), {@code consent-obtained-by} (the staff id),
 *       {@code r8-disclosures} (the four disclosures, each a boolean), {@code consent-revocation} ({@code revokedAt},
 *       {@code effectiveAt}, {@code reason}) and {@code consent-ended-by-practitioner-change} ({@code effectiveAt},
 *       the new practitioner's NPI).</li>
 * </ul>
 */
final class FhirConsents {

    /** The prefix of this project's extension URLs. */
    static final String EXTENSION_BASE = "urn:ccm-ledger:fhir:extension:";
    /** The policy every CCM consent answers: R8 of the project's rules. */
    static final String POLICY = "urn:ccm-ledger:ccm-rules:R8";

    private static final String SCOPE = "http://terminology.hl7.org/CodeSystem/consentscope";
    private static final String LOINC = "http://loinc.org";
    private static final String ACT_REASON = "http://terminology.hl7.org/CodeSystem/v3-ActReason";
    private static final String ROLE_CODE = "http://terminology.hl7.org/CodeSystem/v3-RoleCode";
    private static final String NPI = "http://hl7.org/fhir/sid/us-npi";

    /** Expensive to build, thread-safe once built: one for the whole application. */
    private static final FhirContext FHIR = FhirContext.forR4Cached();

    private FhirConsents() {
    }

    /** The decisions as a FHIR R4 {@code Bundle} of type {@code collection}, pretty-printed JSON. */
    static String bundleJson(PatientConsents consents) {
        Objects.requireNonNull(consents, "consents");
        Bundle bundle = new Bundle().setType(Bundle.BundleType.COLLECTION);
        for (ConsentView consent : consents.consents()) {
            bundle.addEntry().setFullUrl("urn:uuid:" + consent.consentId())
                  .setResource(toResource(consents.practiceId(), consents.patientId(), consent));
        }
        return FHIR.newJsonParser().setPrettyPrint(true).encodeResourceToString(bundle);
    }

    static Consent toResource(String practiceId, String patientId, ConsentView view) {
        Consent consent = new Consent();
        consent.setId(view.consentId());
        consent.setStatus(switch (view.status()) {
            case IN_FORCE -> Consent.ConsentState.ACTIVE;
            case DECLINED -> Consent.ConsentState.REJECTED;
            case REVOKED, ENDED_BY_PRACTITIONER_CHANGE -> Consent.ConsentState.INACTIVE;
        });
        consent.setScope(concept(SCOPE, "treatment", "Treatment"));
        consent.addCategory(concept(LOINC, "59284-0", "Patient Consent"));
        Reference patient = patient(practiceId, patientId);
        consent.setPatient(patient);
        consent.addPerformer(patient.copy());
        consent.addOrganization(new Reference().setType("Organization")
                .setIdentifier(new Identifier().setSystem("urn:ccm-ledger:practice-id").setValue(practiceId)));
        consent.setDateTimeElement(dateTime(view.obtainedAt()));
        consent.addPolicy().setAuthority("https://www.cms.gov").setUri(POLICY);
        if (view.documentRef() != null) {
            consent.setSource(new Reference().setType("DocumentReference").setIdentifier(new Identifier()
                    .setSystem("urn:ccm-ledger:practice:" + practiceId + ":document-ref")
                    .setValue(view.documentRef())));
        }
        Period period = new Period().setStartElement(dateTime(view.obtainedAt()));
        if (view.effectiveUntil() != null) {
            period.setEndElement(dateTime(view.effectiveUntil()));
        }
        Consent.ProvisionComponent provision = consent.getProvision()
                .setType(view.decision() == ConsentDecision.ACCEPTED ? Consent.ConsentProvisionType.PERMIT
                                 : Consent.ConsentProvisionType.DENY)
                .setPeriod(period);
        provision.addActor()
                 .setRole(concept(ROLE_CODE, "GRANTEE", "grantee"))
                 .setReference(new Reference("Practitioner/" + view.billingPractitionerNpi().value())
                         .setIdentifier(new Identifier().setSystem(NPI)
                                 .setValue(view.billingPractitionerNpi().value())));
        provision.addPurpose(new Coding(ACT_REASON, "TREAT", "treatment"));

        consent.addExtension(new Extension(EXTENSION_BASE + "consent-method",
                                           new CodeType(view.method().name().toLowerCase(Locale.ROOT))));
        consent.addExtension(new Extension(EXTENSION_BASE + "consent-obtained-by", new StringType(view.obtainedBy())));
        consent.addExtension(disclosures(view.disclosures()));
        if (view.revocation() != null) {
            Extension revocation = new Extension(EXTENSION_BASE + "consent-revocation");
            revocation.addExtension("revokedAt", dateTime(view.revocation().revokedAt()));
            revocation.addExtension("effectiveAt", dateTime(view.revocation().effectiveAt()));
            revocation.addExtension("reason", new StringType(view.revocation().reason()));
            consent.addExtension(revocation);
        }
        if (view.practitionerChange() != null) {
            Extension change = new Extension(EXTENSION_BASE + "consent-ended-by-practitioner-change");
            change.addExtension("effectiveAt", dateTime(view.practitionerChange().effectiveAt()));
            change.addExtension("billingPractitioner", new Identifier().setSystem(NPI)
                    .setValue(view.practitionerChange().billingPractitionerNpi().value()));
            consent.addExtension(change);
        }
        return consent;
    }

    private static Extension disclosures(Disclosures disclosures) {
        Extension extension = new Extension(EXTENSION_BASE + "r8-disclosures");
        extension.addExtension("availability", new BooleanType(disclosures.availability()));
        extension.addExtension("costSharing", new BooleanType(disclosures.costSharing()));
        extension.addExtension("onePractitionerPerMonth", new BooleanType(disclosures.onePractitionerPerMonth()));
        extension.addExtension("rightToStop", new BooleanType(disclosures.rightToStop()));
        return extension;
    }
}
