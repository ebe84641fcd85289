package org.ccmledger.support;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;

import org.hl7.fhir.common.hapi.validation.support.CommonCodeSystemsTerminologyService;
import org.hl7.fhir.common.hapi.validation.support.InMemoryTerminologyServerValidationSupport;
import org.hl7.fhir.common.hapi.validation.support.ValidationSupportChain;
import org.hl7.fhir.common.hapi.validation.validator.FhirInstanceValidator;
import org.hl7.fhir.instance.model.api.IBaseResource;
import org.hl7.fhir.r4.model.Bundle;

import ca.uhn.fhir.context.FhirContext;
import ca.uhn.fhir.context.support.DefaultProfileValidationSupport;
import ca.uhn.fhir.validation.FhirValidator;
import ca.uhn.fhir.validation.ResultSeverityEnum;
import ca.uhn.fhir.validation.SingleValidationMessage;

/**
 * HAPI's FHIR R4 instance validator with the core profiles and the code systems it knows offline. Prints every
 * message it reports, and fails on any error or fatal one.
 */
public final class FhirValidation {

    public static final FhirContext FHIR = FhirContext.forR4Cached();

    private static FhirValidator validator;

    private FhirValidation() {
    }

    private static synchronized FhirValidator validator() {
        if (validator == null) {
            var support = new ValidationSupportChain(
                    new DefaultProfileValidationSupport(FHIR),
                    new InMemoryTerminologyServerValidationSupport(FHIR),
                    new CommonCodeSystemsTerminologyService(FHIR));
            validator = FHIR.newValidator().registerValidatorModule(new FhirInstanceValidator(support));
        }
        return validator;
    }

    /** Parses a bundle keeping each resource's own id (HAPI would otherwise replace it with the entry's fullUrl). */
    public static Bundle parseBundle(String json) {
        return FHIR.newJsonParser().setOverrideResourceIdWithBundleEntryFullUrl(false)
                   .parseResource(Bundle.class, json);
    }

    /**
     * Validates a bundle as encoded (the JSON text, not a parsed copy) and then each of its entries on its own;
     * returns every message reported.
     */
    public static List<SingleValidationMessage> assertValidBundle(String json) {
        List<SingleValidationMessage> messages = new ArrayList<>(
                report("Bundle", validator().validateWithResult(json).getMessages()));
        for (Bundle.BundleEntryComponent entry : parseBundle(json).getEntry()) {
            IBaseResource resource = entry.getResource();
            messages.addAll(report(resource.fhirType(), validator().validateWithResult(resource).getMessages()));
        }
        return messages;
    }

    private static List<SingleValidationMessage> report(String what, List<SingleValidationMessage> messages) {
        messages.forEach(m -> System.out.println("[FHIR validator] " + what + " " + m.getSeverity()
                                                 + " " + m.getLocationString() + ": " + m.getMessage()));
        assertThat(messages)
                .filteredOn(m -> m.getSeverity() == ResultSeverityEnum.ERROR
                                 || m.getSeverity() == ResultSeverityEnum.FATAL)
                .as("errors reported by the FHIR validator")
                .isEmpty();
        return messages;
    }
}
