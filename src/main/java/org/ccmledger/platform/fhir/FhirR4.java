package org.ccmledger.platform.fhir;

import java.time.Instant;
import java.util.regex.Pattern;

import org.hl7.fhir.r4.model.CodeableConcept;
import org.hl7.fhir.r4.model.Coding;
import org.hl7.fhir.r4.model.DateTimeType;
import org.hl7.fhir.r4.model.Identifier;
import org.hl7.fhir.r4.model.Reference;

/**
 * What every FHIR R4 resource this service writes shares: how a patient is referenced (by the practice's patient id
 * as an identifier, plus a {@code Patient/<id>} link only when the id is a valid FHIR id — ours may hold {@code _}),
 * instants as {@code dateTime}, and codings.
 */
public final class FhirR4 {

    /** A FHIR resource id: letters, digits, '-' and '.', 1–64 characters. */
    public static final Pattern FHIR_ID = Pattern.compile("[A-Za-z0-9\\-.]{1,64}");

    private FhirR4() {
    }

    public static Reference patient(String practiceId, String patientId) {
        Reference reference = new Reference()
                .setIdentifier(new Identifier()
                        .setSystem("urn:ccm-ledger:practice:" + practiceId + ":patient-id")
                        .setValue(patientId));
        if (FHIR_ID.matcher(patientId).matches()) {
            reference.setReference("Patient/" + patientId);
        }
        return reference;
    }

    public static DateTimeType dateTime(Instant instant) {
        return new DateTimeType(instant.toString());
    }

    public static CodeableConcept concept(String system, String code, String display) {
        return new CodeableConcept().addCoding(new Coding().setSystem(system).setCode(code).setDisplay(display));
    }
}
