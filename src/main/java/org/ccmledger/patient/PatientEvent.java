package org.ccmledger.patient;

/**
 * An event of one patient's record, in any of the patient's streams (enrollment, care plan, billing months): whatever
 * feature it belongs to, it names the enrollment it is about. Lets a read model or policy find the patient of an event
 * without knowing every event type.
 */
public interface PatientEvent {

    EnrollmentId enrollmentId();
}
