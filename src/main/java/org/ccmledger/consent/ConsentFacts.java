package org.ccmledger.consent;

import org.ccmledger.onboarding.api.ImportableFact;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/** Consent decisions and revocations as an onboarding import brings them, read as the API's request bodies. */
@Configuration(proxyBeanMethods = false)
class ConsentFacts {

    @Bean
    ImportableFact<ConsentController.RecordConsentRequest> consentFact() {
        return ImportableFact.ofEnrollment("consent", ConsentController.RecordConsentRequest.class,
                                           (enrollment, body) -> body.toCommand(enrollment));
    }

    @Bean
    ImportableFact<ConsentController.RevokeConsentRequest> consentRevocationFact() {
        return ImportableFact.ofEnrollment("consent-revocation", ConsentController.RevokeConsentRequest.class,
                                           (enrollment, body) -> body.toCommand(enrollment));
    }
}
