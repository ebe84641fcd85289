package org.ccmledger.billing.export;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.groups.Tuple.tuple;

import java.math.BigDecimal;
import java.time.LocalDate;
import java.time.YearMonth;
import java.util.List;
import java.util.stream.Collectors;

import org.hl7.fhir.common.hapi.validation.support.CommonCodeSystemsTerminologyService;
import org.hl7.fhir.common.hapi.validation.support.InMemoryTerminologyServerValidationSupport;
import org.hl7.fhir.common.hapi.validation.support.ValidationSupportChain;
import org.hl7.fhir.common.hapi.validation.validator.FhirInstanceValidator;
import org.hl7.fhir.r4.model.Bundle;
import org.hl7.fhir.r4.model.Claim.ItemComponent;
import org.hl7.fhir.r4.model.PositiveIntType;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

import ca.uhn.fhir.context.FhirContext;
import ca.uhn.fhir.context.support.DefaultProfileValidationSupport;
import ca.uhn.fhir.validation.FhirValidator;
import ca.uhn.fhir.validation.ResultSeverityEnum;
import ca.uhn.fhir.validation.SingleValidationMessage;
import ca.uhn.fhir.validation.ValidationResult;

class FhirClaimsTest {

    private static final FhirContext FHIR = FhirContext.forR4Cached();
    private static final YearMonth MARCH = YearMonth.of(2026, 3);
    private static final LocalDate MONTH_END = MARCH.atEndOfMonth();

    private static FhirValidator validator;

    @BeforeAll
    static void buildTheValidator() {
        var support = new ValidationSupportChain(
                new DefaultProfileValidationSupport(FHIR),
                new InMemoryTerminologyServerValidationSupport(FHIR),
                new CommonCodeSystemsTerminologyService(FHIR));
        validator = FHIR.newValidator().registerValidatorModule(new FhirInstanceValidator(support));
    }

    private final Claim original = new Claim("CLM-P1-PT7-2026-03", Claim.Frequency.ORIGINAL, null, "practice-1",
            "pt-7", "1234567893", MARCH, "11", List.of("E11.9", "I10"),
            List.of(new Claim.Item("L1", 1, "99490", 1, new BigDecimal("60.49"), MONTH_END, List.of(1, 2)),
                    new Claim.Item("L2", 2, "99439", 2, new BigDecimal("45.93"), MONTH_END, List.of(2)),
                    new Claim.Item("L3", 3, "G0506", 1, new BigDecimal("63.81"), MARCH.atDay(4), List.of(1))));
    private final Claim replacement = new Claim("CLM-P1-PT7-2026-03-A1", Claim.Frequency.REPLACEMENT,
            "CLM-P1-PT7-2026-03", "practice-1", "pt_7", "1234567893", MARCH, "02", List.of("J449"),
            List.of(new Claim.Item("L1", 1, "99490", 1, null, MONTH_END, List.of(1))));

    @Test
    @DisplayName("An export: created when exported, a replaced original cancelled, a contained Part B coverage with "
                 + "the MBI, and every resource still valid")
    void anExportSaysWhenAndWhatStands() {
        java.time.Instant created = java.time.Instant.parse("2026-12-02T09:15:30Z");
        Bundle bundle = parse(FhirClaims.bundleJson(new FhirClaims.Export(
                List.of(original, replacement), created, java.util.Set.of(original.claimId()),
                java.util.Map.of("pt-7", "1EG4TE5MK73"), "NGS Medicare Part B")));

        assertNoErrors(validator.validateWithResult(bundle));
        var first = (org.hl7.fhir.r4.model.Claim) bundle.getEntry().get(0).getResource();
        var second = (org.hl7.fhir.r4.model.Claim) bundle.getEntry().get(1).getResource();
        assertThat(first.getStatus()).isEqualTo(org.hl7.fhir.r4.model.Claim.ClaimStatus.CANCELLED);
        assertThat(second.getStatus()).isEqualTo(org.hl7.fhir.r4.model.Claim.ClaimStatus.ACTIVE);
        assertThat(first.getCreated()).isEqualTo(java.util.Date.from(created));
        var coverage = (org.hl7.fhir.r4.model.Coverage) first.getContained().get(0);
        assertThat(coverage.getSubscriberId()).isEqualTo("1EG4TE5MK73");
        assertThat(coverage.getIdentifierFirstRep().getSystem()).isEqualTo("http://hl7.org/fhir/sid/us-mbi");
        assertThat(coverage.getBeneficiary().getReference()).isEqualTo("Patient/pt-7");
        assertThat(coverage.getPayorFirstRep().getDisplay()).isEqualTo("NGS Medicare Part B");
        assertThat(coverage.getType().getText()).isEqualTo("Medicare Part B");
        assertThat(((org.hl7.fhir.r4.model.Coverage) second.getContained().get(0)).hasSubscriberId())
                .as("pt_7 has no MBI on record").isFalse();
    }

    @Test
    @DisplayName("Written in parts (a streamed month), the bundle is the one written at once and the one HAPI writes "
                 + "for the same resources, read as plain JSON; its text passes the R4 validator")
    void writtenInPartsTheBundleIsTheOneWrittenAtOnce() throws Exception {
        java.time.Instant created = java.time.Instant.parse("2026-12-02T09:15:30Z");
        var cancelled = java.util.Set.of(original.claimId());
        var mbis = java.util.Map.of("pt-7", "1EG4TE5MK73");
        FhirClaims.BundleWriter writer = new FhirClaims.BundleWriter();
        String parts = writer.start()
                       + writer.entries(new FhirClaims.Export(List.of(), created, cancelled, mbis, "NGS"))
                       + writer.entries(new FhirClaims.Export(List.of(original), created, cancelled, mbis, "NGS"))
                       + writer.entries(new FhirClaims.Export(List.of(replacement), created, cancelled, mbis, "NGS"))
                       + writer.end();
        FhirClaims.Export whole = new FhirClaims.Export(List.of(original, replacement), created, cancelled, mbis,
                                                        "NGS");

        assertThat(parts).isEqualTo(FhirClaims.bundleJson(whole));
        Bundle hapi = new Bundle().setType(Bundle.BundleType.COLLECTION);
        for (Claim claim : whole.claims()) {
            hapi.addEntry().setFullUrl(FhirClaims.fullUrl(claim.claimId()))
                .setResource(FhirClaims.toResource(claim, whole));
        }
        var plain = new com.fasterxml.jackson.databind.ObjectMapper();
        assertThat(plain.readTree(parts)).isEqualTo(plain.readTree(FHIR.newJsonParser().encodeResourceToString(hapi)));
        assertNoErrors(validator.validateWithResult(parts));
        assertThat(parse(parts).getEntry()).extracting(e -> e.getResource().getIdElement().getIdPart())
                                           .containsExactly(original.claimId(), replacement.claimId());
    }

    @Test
    @DisplayName("a bundle without claims has no entry array (FHIR JSON allows no empty array)")
    void aBundleWithoutClaimsHasNoEntry() throws Exception {
        FhirClaims.BundleWriter writer = new FhirClaims.BundleWriter();
        String empty = writer.start() + writer.entries(new FhirClaims.Export(List.of(), null, java.util.Set.of(),
                                                                             java.util.Map.of(), null)) + writer.end();

        var json = new com.fasterxml.jackson.databind.ObjectMapper().readTree(empty);
        assertThat(json.has("entry")).isFalse();
        assertThat(json.get("resourceType").asText()).isEqualTo("Bundle");
        assertNoErrors(validator.validateWithResult(empty));
    }

    @Test
    @DisplayName("every Claim resource passes HAPI's R4 instance validator with no error")
    void everyClaimValidates() {
        Bundle bundle = parse(FhirClaims.bundleJson(List.of(original, replacement)));

        assertThat(bundle.getType()).isEqualTo(Bundle.BundleType.COLLECTION);
        assertThat(bundle.getEntry()).hasSize(2);
        assertNoErrors(validator.validateWithResult(bundle));
        for (Bundle.BundleEntryComponent entry : bundle.getEntry()) {
            assertNoErrors(validator.validateWithResult(entry.getResource()));
        }
    }

    @Test
    @DisplayName("R5, R6: each line's code, units, amounts and diagnosis pointers, under the billing practitioner")
    void linesCarryCodesUnitsAmountsAndPointers() {
        var claim = onlyClaim(original);

        assertThat(claim.getIdElement().getIdPart()).isEqualTo("CLM-P1-PT7-2026-03");
        assertThat(claim.getIdentifierFirstRep().getValue()).isEqualTo("CLM-P1-PT7-2026-03");
        assertThat(claim.getStatus()).isEqualTo(org.hl7.fhir.r4.model.Claim.ClaimStatus.ACTIVE);
        assertThat(claim.getUse()).isEqualTo(org.hl7.fhir.r4.model.Claim.Use.CLAIM);
        assertThat(claim.getType().getCodingFirstRep().getCode()).isEqualTo("professional");
        assertThat(claim.getPriority().getCodingFirstRep().getCode()).isEqualTo("normal");
        assertThat(claim.getCreatedElement().getValueAsString()).isEqualTo("2026-04-01");
        assertThat(claim.getPatient().getReference()).isEqualTo("Patient/pt-7");
        assertThat(claim.getProvider().getIdentifier().getSystem()).isEqualTo("http://hl7.org/fhir/sid/us-npi");
        assertThat(claim.getProvider().getIdentifier().getValue()).isEqualTo("1234567893");
        assertThat(claim.getInsuranceFirstRep().getSequence()).isEqualTo(1);
        assertThat(claim.getInsuranceFirstRep().getFocal()).isTrue();
        assertThat(claim.getInsuranceFirstRep().getCoverage().getReference()).isEqualTo("#coverage");
        assertThat(claim.getCareTeam()).singleElement().satisfies(member -> {
            assertThat(member.getSequence()).isEqualTo(1);
            assertThat(member.getProvider().getReference()).isEqualTo("Practitioner/1234567893");
            assertThat(member.getRole().getCodingFirstRep().getCode()).isEqualTo("primary");
        });
        assertThat(claim.getDiagnosis()).extracting(d -> d.getSequence(),
                        d -> d.getDiagnosisCodeableConcept().getCodingFirstRep().getSystem(),
                        d -> d.getDiagnosisCodeableConcept().getCodingFirstRep().getCode())
                .containsExactly(tuple(1, FhirClaims.ICD_10_CM, "E11.9"), tuple(2, FhirClaims.ICD_10_CM, "I10"));

        assertThat(claim.getItem()).extracting(ItemComponent::getSequence).containsExactly(1, 2, 3);
        assertThat(claim.getItem()).extracting(i -> i.getProductOrService().getCodingFirstRep().getCode())
                .containsExactly("99490", "99439", "G0506");
        assertThat(claim.getItem()).extracting(i -> i.getProductOrService().getCodingFirstRep().getSystem())
                .containsExactly(FhirClaims.CPT, FhirClaims.CPT, FhirClaims.HCPCS);
        assertThat(claim.getItem()).extracting(i -> i.getQuantity().getValue().intValueExact())
                .containsExactly(1, 2, 1);
        assertThat(claim.getItem()).extracting(i -> pointers(i)).containsExactly("1,2", "2", "1");
        assertThat(claim.getItem()).allSatisfy(i -> assertThat(i.getCareTeamSequence())
                .extracting(PositiveIntType::getValue).containsExactly(1));
        ItemComponent addOn = claim.getItem().get(1);
        assertThat(addOn.getUnitPrice().getValue()).isEqualByComparingTo("45.93");
        assertThat(addOn.getNet().getValue()).isEqualByComparingTo("91.86");
        assertThat(addOn.getNet().getCurrency()).isEqualTo("USD");
        assertThat(claim.getTotal().getValue()).isEqualByComparingTo("216.16");
    }

    @Test
    @DisplayName("R12: each line carries its own date of service")
    void linesCarryTheirDateOfService() {
        var claim = onlyClaim(original);

        assertThat(claim.getItem()).extracting(i -> i.getServicedDateType().getValueAsString())
                .containsExactly("2026-03-31", "2026-03-31", "2026-03-04");
        assertThat(claim.getBillablePeriod().getStartElement().getValueAsString()).isEqualTo("2026-03-01");
        assertThat(claim.getBillablePeriod().getEndElement().getValueAsString()).isEqualTo("2026-03-31");
    }

    @Test
    @DisplayName("R13: the place of service of the billing location is on every line")
    void placeOfServiceIsTheBillingLocation() {
        var claim = onlyClaim(replacement);

        assertThat(claim.getItem()).singleElement().satisfies(line -> {
            assertThat(line.getLocationCodeableConcept().getCodingFirstRep().getSystem())
                    .isEqualTo(FhirClaims.PLACE_OF_SERVICE);
            assertThat(line.getLocationCodeableConcept().getCodingFirstRep().getCode()).isEqualTo("02");
        });
    }

    @Test
    @DisplayName("P4: a replacement claim points to the claim it replaces as a prior claim")
    void replacementPointsToThePriorClaim() {
        var claim = onlyClaim(replacement);

        assertThat(claim.getRelated()).singleElement().satisfies(related -> {
            assertThat(related.getClaim().getReference()).isEqualTo("Claim/CLM-P1-PT7-2026-03");
            assertThat(related.getRelationship().getCodingFirstRep().getSystem())
                    .isEqualTo("http://terminology.hl7.org/CodeSystem/ex-relatedclaimrelationship");
            assertThat(related.getRelationship().getCodingFirstRep().getCode()).isEqualTo("prior");
        });
        assertThat(onlyClaim(original).getRelated()).isEmpty();
    }

    @Test
    @DisplayName("an unknown amount is left out, never written as 0, and the claim then has no total")
    void unknownAmountIsLeftOut() {
        String json = FhirClaims.bundleJson(List.of(replacement));
        var claim = onlyClaim(replacement);

        assertThat(claim.getItemFirstRep().hasUnitPrice()).isFalse();
        assertThat(claim.getItemFirstRep().hasNet()).isFalse();
        assertThat(claim.hasTotal()).isFalse();
        assertThat(json).doesNotContain("unitPrice", "\"net\"", "\"total\"");
    }

    @Test
    @DisplayName("a patient id that is no FHIR id is still exported, as the identifier of the reference")
    void patientIdOutsideTheFhirIdAlphabet() {
        var patient = onlyClaim(replacement).getPatient();

        assertThat(patient.hasReference()).isFalse();
        assertThat(patient.getIdentifier().getValue()).isEqualTo("pt_7");
    }

    @Test
    @DisplayName("a line that points past the claim's diagnoses is refused, naming the claim and not the patient")
    void danglingPointerIsRefused() {
        Claim dangling = new Claim("CLM-P1-PT8-2026-03", Claim.Frequency.ORIGINAL, null, "practice-1",
                "patient-secret-8", "1234567893", MARCH, "11", List.of("I10"),
                List.of(new Claim.Item("L1", 1, "99490", 1, BigDecimal.TEN, MONTH_END, List.of(1, 3))));

        assertThatThrownBy(() -> FhirClaims.bundleJson(List.of(dangling)))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("CLM-P1-PT8-2026-03")
                .hasMessageNotContaining("patient-secret-8");
    }

    @Test
    @DisplayName("the same claims give the same JSON: no clock, no random id")
    void deterministic() {
        List<Claim> claims = List.of(original, replacement);

        assertThat(FhirClaims.bundleJson(claims)).isEqualTo(FhirClaims.bundleJson(claims));
        assertThat(FhirClaims.bundleJson(List.of())).contains("\"collection\"");
    }

    private static org.hl7.fhir.r4.model.Claim onlyClaim(Claim claim) {
        Bundle bundle = parse(FhirClaims.bundleJson(List.of(claim)));
        assertThat(bundle.getEntry()).hasSize(1);
        return (org.hl7.fhir.r4.model.Claim) bundle.getEntryFirstRep().getResource();
    }

    private static Bundle parse(String json) {
        return FHIR.newJsonParser().parseResource(Bundle.class, json);
    }

    private static String pointers(ItemComponent item) {
        return item.getDiagnosisSequence().stream().map(p -> p.getValue().toString()).collect(Collectors.joining(","));
    }

    private static void assertNoErrors(ValidationResult result) {
        List<SingleValidationMessage> messages = result.getMessages();
        messages.forEach(m -> System.out.println(
                "[FHIR validator] " + m.getSeverity() + " " + m.getLocationString() + ": " + m.getMessage()));
        assertThat(messages)
                .filteredOn(m -> m.getSeverity() == ResultSeverityEnum.ERROR
                                 || m.getSeverity() == ResultSeverityEnum.FATAL)
                .as("errors reported by the FHIR validator")
                .isEmpty();
    }
}
