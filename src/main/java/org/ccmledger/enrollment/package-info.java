/**
 * Enrollment: a patient's CCM enrollment in a practice (R7 eligibility, the billing practitioner, the billing
 * location's time zone) and the aggregate that guards what may be recorded for that patient.
 */
package org.ccmledger.enrollment;
