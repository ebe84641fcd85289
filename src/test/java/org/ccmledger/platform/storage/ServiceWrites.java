package org.ccmledger.platform.storage;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.http.HttpRequest;
import java.net.http.HttpResponse;

import org.bson.Document;
import org.ccmledger.platform.mongo.ServiceProcess;
import org.ccmledger.support.PatientMother;

/** Writes through a {@link ServiceProcess}'s API: a patient with a distinctive diagnosis and note, a digest. */
final class ServiceWrites {

    static final String DIAGNOSIS = "Quillayute heron nephropathy";
    static final String NOTE = "spoke about the blue kayak at Lake Ozette";

    private ServiceWrites() {
    }

    /** Enrolls {@code patientId} in practice p1 with {@link #DIAGNOSIS}, records consent and care time with {@link #NOTE}. */
    static void patient(ServiceProcess service, String patientId) throws Exception {
        String enroll = """
                {"patientId":"%s","billingPractitionerNpi":"%s","timeZone":"UTC",
                 "qualifiedMedicareBeneficiary":false,"chronicConditions":[
                 {"code":"N28.9","description":"%s","expectedToLast12Months":true,"significantRisk":true},
                 {"code":"I10","description":"Hypertension","expectedToLast12Months":true,"significantRisk":true}]}"""
                .formatted(patientId, PatientMother.NPI, DIAGNOSIS);
        String patients = "/api/v1/practices/p1/patients";
        HttpResponse<String> enrolled = post(service, patients, enroll);
        assertThat(enrolled.statusCode()).as(enrolled.headers().map() + " " + enrolled.body()).isEqualTo(201);
        assertThat(post(service, patients + "/" + patientId + "/consents", PatientMother.consent()).statusCode())
                .isEqualTo(201);
        String minutes = """
                {"entryId":"%s-e1","performer":{"id":"rn1","role":"CLINICAL_STAFF"},"startedAt":"2026-09-10T14:00:00Z",
                 "minutes":20,"activity":"CARE_COORDINATION","note":"%s"}""".formatted(patientId, NOTE);
        assertThat(post(service, patients + "/" + patientId + "/care-minutes", minutes).statusCode()).isEqualTo(201);
    }

    /** Seals the ledger with a new digest; returns its N (the highest global index it sealed). */
    static long digest(ServiceProcess service) throws Exception {
        HttpResponse<String> response = post(service, "/api/v1/ledger/digests", "");
        assertThat(response.statusCode()).as(response.body()).isIn(200, 201);
        return ((Number) Document.parse(response.body()).get("sealedUpTo")).longValue();
    }

    private static HttpResponse<String> post(ServiceProcess service, String path, String body) throws Exception {
        HttpRequest request = HttpRequest.newBuilder(service.uri(path))
                                         .header("Content-Type", "application/json")
                                         .header("Accept", "application/json")
                                         .header("Authorization", service.bearer("rn1", "p1"))
                                         .POST(HttpRequest.BodyPublishers.ofString(body))
                                         .build();
        return service.http().send(request, HttpResponse.BodyHandlers.ofString());
    }
}
