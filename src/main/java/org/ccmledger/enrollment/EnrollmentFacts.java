package org.ccmledger.enrollment;

import org.ccmledger.onboarding.api.ImportableFact;
import org.ccmledger.platform.problem.Refusal;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/**
 * The enrollment's facts an onboarding import brings, read as the API's request bodies: the enrolment (without the
 * patient's identity, which is recorded apart with {@code PUT …/identity}), initiating visits, billing-practitioner
 * changes, disenrolment and death.
 */
@Configuration(proxyBeanMethods = false)
class EnrollmentFacts {

    @Bean
    ImportableFact<EnrollmentController.EnrollPatientRequest> enrollmentFact() {
        return ImportableFact.ofEnrollment("enrollment", EnrollmentController.EnrollPatientRequest.class,
                                           (enrollment, body) -> {
            if (body.identity() != null) {
                throw Refusal.malformed("IDENTITY_NOT_IMPORTED", "an import line does not carry the patient's "
                        + "identity: record it with PUT .../identity once the patient is enrolled");
            }
            if (body.patientId() != null && !body.patientId().equals(enrollment.patientId().value())) {
                throw Refusal.malformed("MALFORMED_BODY", "body.patientId differs from the line's patientId");
            }
            return body.toCommand(enrollment);
        });
    }

    @Bean
    ImportableFact<ClinicalRecordController.InitiatingVisitRequest> initiatingVisitFact() {
        return ImportableFact.ofEnrollment("initiating-visit", ClinicalRecordController.InitiatingVisitRequest.class,
                                           (enrollment, body) -> body.toCommand(enrollment));
    }

    @Bean
    ImportableFact<EnrollmentController.ChangePractitionerRequest> billingPractitionerFact() {
        return ImportableFact.ofEnrollment("billing-practitioner",
                                           EnrollmentController.ChangePractitionerRequest.class,
                                           (enrollment, body) -> body.toCommand(enrollment));
    }

    @Bean
    ImportableFact<EnrollmentController.DisenrollRequest> disenrollmentFact() {
        return ImportableFact.ofEnrollment("disenrollment", EnrollmentController.DisenrollRequest.class,
                                           (enrollment, body) -> body.toCommand(enrollment));
    }

    @Bean
    ImportableFact<EnrollmentController.DeathRequest> deathFact() {
        return ImportableFact.ofEnrollment("death", EnrollmentController.DeathRequest.class,
                                           (enrollment, body) -> body.toCommand(enrollment));
    }
}
