/**
 * The shared kernel: what every feature knows of a patient's CCM record — the typed ids ({@code PracticeId},
 * {@code PatientId}, {@code EnrollmentId}, {@code Npi}) and the messages of the enrollment (enrolling, the billing
 * practitioner, visits, attestations, stays, death, disenrollment). It depends on no feature, so the features can
 * build on it without depending on each other in a circle. Its events are stored under their first type names
 * ({@code org.ccmledger.enrollment.api.*}, see {@code StableTypeNames}).
 */
package org.ccmledger.patient;
