package org.ccmledger.careplan;

import static org.awaitility.Awaitility.await;

import java.time.Duration;
import java.time.Instant;

import org.axonframework.queryhandling.QueryGateway;
import org.ccmledger.careplan.api.CarePlanId;
import org.ccmledger.patient.EnrollmentId;
import org.ccmledger.support.HttpTestBase;
import org.ccmledger.support.PatientMother;
import org.springframework.beans.factory.annotation.Autowired;

/** A patient enrolled in practice p1 and known to the care-plan read model, with plans revised by dr-who. */
abstract class CarePlanHttpTestBase extends HttpTestBase {

    static final Duration DEADLINE = Duration.ofSeconds(20);

    @Autowired
    QueryGateway queries;

    EnrollmentId enrollment;
    /** The patient's care-plan path. */
    String base;

    /** The plans of CarePlanMother are revised by dr-who, who revises only as themselves. */
    @Override
    protected String defaultUser() {
        return "dr-who";
    }

    /** Enrolls a patient whose id starts with {@code prefix} and waits until the care-plan read model knows them. */
    void enrollPatient(String prefix) {
        String patient = prefix + System.nanoTime();
        enrollment = EnrollmentId.of("p1", patient);
        base = "/api/v1/practices/p1/patients/" + patient + "/care-plan";
        post("/api/v1/practices/p1/patients", PatientMother.enrollment(patient)).expectStatus().isCreated();
        // the care-plan read model learns of enrollments asynchronously
        await().atMost(DEADLINE).until(() -> queries.query(new CarePlanPatientKnown(enrollment), Boolean.class)
                                                    .join());
    }

    CarePlanMother plan(Instant revisedAt) {
        return CarePlanMother.plan(new CarePlanId(enrollment), revisedAt);
    }
}
