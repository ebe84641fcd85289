package org.ccmledger.platform.openapi;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import java.time.Duration;
import java.time.LocalDate;
import java.time.OffsetDateTime;
import java.util.List;
import java.util.Map;

import org.awaitility.Awaitility;
import org.ccmledger.client.ApiClient;
import org.ccmledger.client.ApiException;
import org.ccmledger.client.api.BillingApi;
import org.ccmledger.client.api.CarePlansApi;
import org.ccmledger.client.api.CareTimeApi;
import org.ccmledger.client.api.ClinicalRecordApi;
import org.ccmledger.client.api.ConsentsApi;
import org.ccmledger.client.api.PatientsApi;
import org.ccmledger.client.model.ConditionRequest;
import org.ccmledger.client.model.DisclosuresRequest;
import org.ccmledger.client.model.EnrollPatientRequest;
import org.ccmledger.client.model.InitiatingVisitRequest;
import org.ccmledger.client.model.LogCareMinutesRequest;
import org.ccmledger.client.model.PatientMonthView;
import org.ccmledger.client.model.PerformerRequest;
import org.ccmledger.client.model.Problem;
import org.ccmledger.client.model.RecordConsentRequest;
import org.ccmledger.client.model.ReviseCarePlanRequest;
import org.ccmledger.support.HttpTestBase;
import org.ccmledger.support.PatientMother;
import org.ccmledger.support.TestTokens;
import org.junit.jupiter.api.Test;

/**
 * The service driven through the Java client that openapi-generator builds from the committed docs/openapi.json
 * (pom.xml, execution {@code java-client}): a change of the API that the document does not follow breaks the build
 * here, or in {@code ApiContractTest} when the document is not refreshed.
 */
class ApiClientHttpTest extends HttpTestBase {

    private static final String PRACTICE = "p-client";

    private ApiClient generatedClient() {
        String token = tokens().mint(DEFAULT_USER, TestTokens.ALL_ROLES, PRACTICE);
        ApiClient client = new ApiClient();
        client.updateBaseUri("http://localhost:" + port);
        client.setRequestInterceptor(request -> request.header("Authorization", "Bearer " + token));
        client.setReadTimeout(Duration.ofSeconds(30));
        return client;
    }

    @Test
    void aPatientIsEnrolledCaredForAndBilledThroughTheGeneratedClient() throws Exception {
        ApiClient api = generatedClient();
        String patient = "pt-client-1";

        Map<String, String> enrolled = new PatientsApi(api).enrollPatient(PRACTICE, new EnrollPatientRequest()
                .patientId(patient).billingPractitionerNpi(PatientMother.NPI).timeZone("America/New_York")
                .qualifiedMedicareBeneficiary(false)
                .chronicConditions(List.of(
                        new ConditionRequest().code("E11.9").description("Type 2 diabetes")
                                              .expectedToLast12Months(true).significantRisk(true),
                        new ConditionRequest().code("I10").description("Hypertension")
                                              .expectedToLast12Months(true).significantRisk(true))));
        assertThat(enrolled).containsEntry("patientId", patient);

        Map<String, String> consent = new ConsentsApi(api).recordConsent(PRACTICE, patient, new RecordConsentRequest()
                .method(RecordConsentRequest.MethodEnum.VERBAL).decision(RecordConsentRequest.DecisionEnum.ACCEPTED)
                .obtainedAt(OffsetDateTime.parse("2026-01-01T10:00:00-05:00")).obtainedBy("rn-7")
                .billingPractitionerNpi(PatientMother.NPI)
                .disclosures(new DisclosuresRequest().availability(true).costSharing(true)
                                                     .onePractitionerPerMonth(true).rightToStop(true)));
        assertThat(consent).containsEntry("decision", "ACCEPTED");

        ReviseCarePlanRequest plan = new ReviseCarePlanRequest()
                .revisedAt(OffsetDateTime.parse("2026-01-02T10:00:00-05:00")).revisedBy(DEFAULT_USER)
                .substantialRevision(true).sharedWithPatientAt(OffsetDateTime.parse("2026-01-02T11:00:00-05:00"))
                .problems(List.of("Type 2 diabetes", "Hypertension")).expectedOutcome("stable HbA1c")
                .measurableGoals(List.of("HbA1c below 7.5% by March")).symptomManagement("hypoglycemia plan")
                .plannedInterventions(List.of("monthly nurse call")).medicationManagement("metformin reconciled")
                .communityResources(List.of()).coordination(List.of("endocrinology")).reviewSchedule("quarterly");
        // the care plan is an aggregate of its own: it knows the patient once its read model has seen the enrollment
        Awaitility.await().atMost(Duration.ofSeconds(30)).ignoreException(ApiException.class).untilAsserted(
                () -> assertThat(new CarePlansApi(api).reviseCarePlan(PRACTICE, patient, plan))
                        .containsEntry("version", 1));

        new ClinicalRecordApi(api).recordInitiatingVisit(PRACTICE, patient, new InitiatingVisitRequest()
                .visitDate(LocalDate.parse("2026-09-02")).visitType(InitiatingVisitRequest.VisitTypeEnum.EM)
                .emLevel(4).practitionerNpi(PatientMother.NPI).comprehensiveCarePlanning(false));

        CareTimeApi careTime = new CareTimeApi(api);
        Map<String, String> logged = careTime.logCareMinutes(PRACTICE, patient, new LogCareMinutesRequest()
                .performer(new PerformerRequest().id(DEFAULT_USER).role(PerformerRequest.RoleEnum.CLINICAL_STAFF))
                .startedAt(OffsetDateTime.parse("2026-09-10T10:00:00-04:00")).minutes(30)
                .activity(LogCareMinutesRequest.ActivityEnum.CARE_COORDINATION));
        assertThat(logged).containsKey("entryId");

        Awaitility.await().atMost(Duration.ofSeconds(30)).ignoreException(ApiException.class).untilAsserted(() -> {
            PatientMonthView month = new BillingApi(api).getPatientMonthBilling(PRACTICE, patient, "2026-09", null, null);
            assertThat(month.getFamily()).isEqualTo("NON_COMPLEX");
            assertThat(month.getMinutes().getCounted()).isEqualTo(30);
            assertThat(month.getLines()).extracting(line -> line.getCode()).containsExactly("99490");
        });

        // a rule's refusal arrives as a typed problem: status, code and the rule that refused it
        ApiException refused = catchThrowableOfType(ApiException.class, () -> careTime.logCareMinutes(
                PRACTICE, patient, new LogCareMinutesRequest()
                        .performer(new PerformerRequest().id(DEFAULT_USER).role(PerformerRequest.RoleEnum.NON_CLINICAL))
                        .startedAt(OffsetDateTime.parse("2026-09-11T10:00:00-04:00")).minutes(20)
                        .activity(LogCareMinutesRequest.ActivityEnum.OTHER)));
        assertThat(refused.getCode()).isEqualTo(422);
        Problem problem = api.getObjectMapper().readValue(refused.getResponseBody(), Problem.class);
        assertThat(problem.getStatus()).isEqualTo(422);
        assertThat(problem.getCode()).isEqualTo("NON_CLINICAL_TIME");
        assertThat(problem.getRule()).isEqualTo("R3");
        assertThat(problem.getInstance().toString()).startsWith("urn:ccm-ledger:request:");
    }
}
