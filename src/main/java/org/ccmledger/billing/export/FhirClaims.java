package org.ccmledger.billing.export;

import java.math.BigDecimal;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.UUID;

import org.hl7.fhir.r4.model.CodeableConcept;
import org.hl7.fhir.r4.model.Coding;
import org.hl7.fhir.r4.model.Coverage;
import org.hl7.fhir.r4.model.DateTimeType;
import org.hl7.fhir.r4.model.DateType;
import org.hl7.fhir.r4.model.Identifier;
import org.hl7.fhir.r4.model.Money;
import org.hl7.fhir.r4.model.Period;
import org.hl7.fhir.r4.model.PositiveIntType;
import org.hl7.fhir.r4.model.Reference;
import org.hl7.fhir.r4.model.SimpleQuantity;

import ca.uhn.fhir.context.FhirContext;
import ca.uhn.fhir.model.api.TemporalPrecisionEnum;

/**
 * The claims feed as FHIR R4: a {@code Bundle} of type {@code collection} holding one {@code Claim} resource per
 * {@link Claim}, in the order given, built with HAPI FHIR and encoded as JSON.
 *
 * <p>Each resource is a professional claim for the month billed. The output depends on the claims alone (no clock, no
 * random ids): the same claims always give the same JSON, and the resource id is the deterministic claim id, so a
 * receiver that imports the feed twice updates rather than duplicates.
 * <ul>
 *   <li>{@code created} is the time of the export (or the first day after the month when none is given),
 *       {@code billablePeriod} the month itself (R1), or
 *       for an initiating visit's claim (its base code and the G0506 add-on, R9) the visit's date;</li>
 *   <li>the billing practitioner (R6) is the {@code provider} and the one member of the care team, by NPI;</li>
 *   <li>each line carries its date of service (R12) and the billing location's place of service (R13);</li>
 *   <li>a replacement (an adjustment, P4) names the claim it replaces as a {@code related} claim of relationship
 *       {@code prior};</li>
 *   <li>an amount that is unknown ([NF] in the fee data) is left out, never written as 0: the line then has no
 *       {@code unitPrice} nor {@code net}, and the claim no {@code total}.</li>
 * </ul>
 * The patient is referenced by the practice's patient id (an identifier, and a literal reference where the id is also
 * a valid FHIR id); {@code insurance.coverage} references a contained Medicare Part B {@code Coverage} whose
 * beneficiary is the patient and whose subscriber id is the patient's MBI (when recorded). A claim a later version
 * replaced or voided is {@code cancelled}.
 */
public final class FhirClaims {

    /** ICD-10-CM, as FHIR names it. */
    public static final String ICD_10_CM = "http://hl7.org/fhir/sid/icd-10-cm";
    /** CPT (AMA). */
    public static final String CPT = "http://www.ama-assn.org/go/cpt";
    /** HCPCS Level II: codes that start with a letter, e.g. {@code G0506}. */
    public static final String HCPCS = "https://www.cms.gov/Medicare/Coding/HCPCSReleaseCodeSets";
    /** CMS place-of-service codes. */
    public static final String PLACE_OF_SERVICE =
            "https://www.cms.gov/Medicare/Coding/place-of-service-codes/Place_of_Service_Code_Set";
    /** US National Provider Identifier. */
    public static final String NPI = "http://hl7.org/fhir/sid/us-npi";
    /** The system of {@code Claim.identifier}: the feed's deterministic claim id. */
    public static final String CLAIM_ID_SYSTEM = "urn:ccm-ledger:claim-id";
    /** The Medicare Beneficiary Identifier, as FHIR US Core names its system. */
    public static final String MBI = "http://hl7.org/fhir/sid/us-mbi";

    private static final String CLAIM_TYPE = "http://terminology.hl7.org/CodeSystem/claim-type";
    private static final String PRIORITY = "http://terminology.hl7.org/CodeSystem/processpriority";
    private static final String CARE_TEAM_ROLE = "http://terminology.hl7.org/CodeSystem/claimcareteamrole";
    private static final String DIAGNOSIS_TYPE = "http://terminology.hl7.org/CodeSystem/ex-diagnosistype";
    private static final String RELATED_CLAIM = "http://terminology.hl7.org/CodeSystem/ex-relatedclaimrelationship";
    private static final String USD = "USD";

    /** Expensive to build, thread-safe once built: one for the whole application. */
    private static final FhirContext FHIR = FhirContext.forR4Cached();

    private FhirClaims() {
    }

    /**
     * The claims as a FHIR R4 {@code Bundle} of type {@code collection}, pretty-printed JSON.
     *
     * @param claims the claims, in the order they appear in the bundle
     * @return the bundle; the same claims always give the same string
     * @throws IllegalArgumentException when a line points to a diagnosis its claim does not have
     */
    public static String bundleJson(List<Claim> claims) {
        return bundleJson(new Export(claims, null, Set.of(), Map.of(), null));
    }

    /**
     * What a FHIR export says besides the claims: when it was made ({@code created}; {@code null}: the day after the
     * month), which claims a later version replaced or voided ({@code cancelled}), each patient's MBI for the
     * contained Medicare Part B {@code Coverage}, and the payer's name.
     */
    public record Export(List<Claim> claims, java.time.Instant created, Set<String> cancelled,
                         Map<String, String> mbiByPatient, String payerName) {
    }

    /** The export as a FHIR R4 {@code Bundle} of type {@code collection}, pretty-printed JSON. */
    public static String bundleJson(Export export) {
        Objects.requireNonNull(export, "export");
        BundleWriter writer = new BundleWriter();
        return writer.start() + writer.entries(export) + writer.end();
    }

    /**
     * A bundle written in parts, so that a practice's month streams: {@link #start}, then {@link #entries} for each
     * part of the claims in turn, then {@link #end}. The parts together are the bundle {@link #bundleJson} gives for
     * all the claims at once. Each claim is encoded by HAPI FHIR; the bundle around them is written here, since HAPI
     * encodes only whole resources. A bundle without claims has no {@code entry} (FHIR allows no empty array).
     * One writer per bundle, used by one thread at a time.
     */
    public static final class BundleWriter {
        private final ca.uhn.fhir.parser.IParser parser = FHIR.newJsonParser().setPrettyPrint(true);
        private boolean anyEntry;

        public String start() {
            return "{\n  \"resourceType\": \"Bundle\",\n  \"type\": \"collection\"";
        }

        /** The entries of some claims, in order; {@code part} says how they are exported (cancelled, MBIs, payer). */
        public String entries(Export part) {
            StringBuilder json = new StringBuilder();
            for (Claim claim : part.claims()) {
                json.append(anyEntry ? ", " : ",\n  \"entry\": [ ");
                anyEntry = true;
                // the full URL is a UUID URN: nothing in it to escape
                json.append("{\n    \"fullUrl\": \"").append(fullUrl(claim.claimId()))
                    .append("\",\n    \"resource\": ")
                    // HAPI escapes line breaks inside strings, so every one here is between tokens
                    .append(parser.encodeResourceToString(toResource(claim, part)).replace("\n", "\n    "))
                    .append("\n  }");
            }
            return json.toString();
        }

        public String end() {
            return (anyEntry ? " ]" : "") + "\n}\n";
        }
    }

    /**
     * The identity of a claim's entry: a name-based UUID of its claim id. A bundle entry needs an absolute URL, and the
     * feed has no server base to build a RESTful one from.
     */
    static String fullUrl(String claimId) {
        return "urn:uuid:" + UUID.nameUUIDFromBytes((CLAIM_ID_SYSTEM + "|" + claimId).getBytes(StandardCharsets.UTF_8));
    }

    /** The FHIR R4 {@code Claim} resource of one claim. */
    static org.hl7.fhir.r4.model.Claim toResource(Claim claim) {
        return toResource(claim, new Export(List.of(claim), null, Set.of(), Map.of(), null));
    }

    static org.hl7.fhir.r4.model.Claim toResource(Claim claim, Export export) {
        var resource = new org.hl7.fhir.r4.model.Claim();
        resource.setId(claim.claimId());
        resource.addIdentifier(new Identifier().setSystem(CLAIM_ID_SYSTEM).setValue(claim.claimId()));
        resource.setStatus(export.cancelled().contains(claim.claimId())
                ? org.hl7.fhir.r4.model.Claim.ClaimStatus.CANCELLED : org.hl7.fhir.r4.model.Claim.ClaimStatus.ACTIVE);
        resource.setType(concept(CLAIM_TYPE, "professional"));
        resource.setUse(org.hl7.fhir.r4.model.Claim.Use.CLAIM);
        resource.setPatient(patient(claim));
        if (claim.kind() == Claim.Kind.INITIATING_VISIT) {
            // the visit's own claim (R9): its base code and the G0506 add-on, billed for the visit's date
            String visit = claim.items().get(0).servicedDate().toString();
            resource.setBillablePeriod(new Period().setStartElement(new DateTimeType(visit))
                                                   .setEndElement(new DateTimeType(visit)));
        } else {
            resource.setBillablePeriod(new Period()
                    .setStartElement(new DateTimeType(claim.month().atDay(1).toString()))
                    .setEndElement(new DateTimeType(claim.month().atEndOfMonth().toString())));
        }
        resource.setCreatedElement(export.created() == null
                ? new DateTimeType(claim.month().atEndOfMonth().plusDays(1).toString())
                : new DateTimeType(java.util.Date.from(export.created()), TemporalPrecisionEnum.SECOND,
                                   java.util.TimeZone.getTimeZone("UTC")));
        resource.setProvider(practitioner(claim.billingPractitioner()));
        resource.setPriority(concept(PRIORITY, "normal"));
        if (claim.replacesClaimId() != null) {
            resource.addRelated()
                    .setClaim(new Reference("Claim/" + claim.replacesClaimId())
                            .setIdentifier(new Identifier().setSystem(CLAIM_ID_SYSTEM)
                                    .setValue(claim.replacesClaimId())))
                    .setRelationship(concept(RELATED_CLAIM, "prior"));
        }
        resource.addCareTeam()
                .setSequence(1)
                .setProvider(practitioner(claim.billingPractitioner()))
                .setResponsible(true)
                .setRole(concept(CARE_TEAM_ROLE, "primary"));
        for (int i = 0; i < claim.diagnoses().size(); i++) {
            var diagnosis = resource.addDiagnosis()
                    .setSequence(i + 1)
                    .setDiagnosis(concept(ICD_10_CM, icd10WithDot(claim.diagnoses().get(i))));
            if (i == 0) {
                diagnosis.addType(concept(DIAGNOSIS_TYPE, "principal"));
            }
        }
        // Medicare Part B, contained: the patient is the beneficiary and, by MBI, the subscriber
        Coverage coverage = new Coverage();
        coverage.setId("coverage");
        coverage.setStatus(Coverage.CoverageStatus.ACTIVE);
        coverage.setType(new CodeableConcept().setText("Medicare Part B"));
        coverage.setBeneficiary(patient(claim));
        coverage.addPayor(new Reference().setDisplay(export.payerName() == null ? "Medicare Part B"
                                                             : export.payerName()));
        String mbi = export.mbiByPatient().get(claim.patientId());
        if (mbi != null) {
            coverage.setSubscriberId(mbi);
            coverage.addIdentifier(new Identifier().setSystem(MBI).setValue(mbi));
        }
        resource.addContained(coverage);
        resource.addInsurance()
                .setSequence(1)
                .setFocal(true)
                .setCoverage(new Reference("#coverage"));
        BigDecimal total = BigDecimal.ZERO;
        for (Claim.Item item : claim.items()) {
            for (int pointer : item.diagnosisPointers()) {
                if (pointer < 1 || pointer > claim.diagnoses().size()) {
                    throw new IllegalArgumentException("diagnosis pointer " + pointer
                                                       + " points to no diagnosis of claim " + claim.claimId()
                                                       + " line " + item.sequence());
                }
            }
            resource.addItem(item(item, claim.placeOfService()));
            BigDecimal lineAmount = item.lineAmount();
            total = total == null || lineAmount == null ? null : total.add(lineAmount);
        }
        if (total != null) {
            resource.setTotal(usd(total));
        }
        return resource;
    }

    private static org.hl7.fhir.r4.model.Claim.ItemComponent item(Claim.Item item, String placeOfService) {
        var line = new org.hl7.fhir.r4.model.Claim.ItemComponent()
                .setSequence(item.sequence())
                .setProductOrService(concept(serviceCodeSystem(item.code()), item.code()))
                .setServiced(new DateType(item.servicedDate().toString()))
                .setLocation(concept(PLACE_OF_SERVICE, placeOfService));
        line.addCareTeamSequence(1);
        for (int pointer : item.diagnosisPointers()) {
            line.getDiagnosisSequence().add(new PositiveIntType(pointer));
        }
        line.setQuantity((SimpleQuantity) new SimpleQuantity().setValue(item.units()));
        if (item.unitAmount() != null) {
            line.setUnitPrice(usd(item.unitAmount()));
            line.setNet(usd(item.lineAmount()));
        }
        return line;
    }

    /** CPT codes are five digits (Category II/III end in a letter); HCPCS Level II codes start with a letter. */
    static String serviceCodeSystem(String code) {
        return !code.isEmpty() && Character.isLetter(code.charAt(0)) ? HCPCS : CPT;
    }

    /** ICD-10-CM with its dot after the category, as FHIR expects it ({@code E119} becomes {@code E11.9}). */
    static String icd10WithDot(String code) {
        String bare = code.strip().replace(".", "").toUpperCase(Locale.ROOT);
        return bare.length() > 3 ? bare.substring(0, 3) + "." + bare.substring(3) : bare;
    }

    private static Reference patient(Claim claim) {
        return org.ccmledger.platform.fhir.FhirR4.patient(claim.practiceId(), claim.patientId());
    }

    private static Reference practitioner(String npi) {
        return new Reference("Practitioner/" + npi)
                .setIdentifier(new Identifier().setSystem(NPI).setValue(npi));
    }

    private static CodeableConcept concept(String system, String code) {
        return new CodeableConcept().addCoding(new Coding().setSystem(system).setCode(code));
    }

    private static Money usd(BigDecimal amount) {
        return new Money().setValue(amount).setCurrency(USD);
    }
}
