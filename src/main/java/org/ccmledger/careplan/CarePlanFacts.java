package org.ccmledger.careplan;

import org.ccmledger.careplan.api.CarePlanId;
import org.ccmledger.onboarding.api.ImportableFact;
import org.ccmledger.platform.web.Require;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/**
 * Care-plan versions as an onboarding import brings them: the API's revision body, where {@code revisedBy} names the
 * practitioner who revised the plan (the importing user is not them). The patient must be enrolled first.
 */
@Configuration(proxyBeanMethods = false)
class CarePlanFacts {

    @Bean
    ImportableFact<CarePlanController.ReviseCarePlanRequest> carePlanFact() {
        return ImportableFact.ofEnrolledPatient(
                "care-plan", CarePlanController.ReviseCarePlanRequest.class,
                enrollment -> new CarePlanId(enrollment).toString(),
                (enrollment, body) -> body.toCommand(enrollment, Require.text(body.revisedBy(), "revisedBy", 128)));
    }
}
