/**
 * Enrollment: a patient's CCM enrollment in a practice (R7 eligibility, the billing practitioner, the billing
 * location's time zone) and the aggregate that guards what may be recorded for that patient. The aggregate routes;
 * its parts decide, on the consent, time-entry and calendar folds of the features' {@code api} packages. Its messages
 * and ids are the shared kernel, {@code org.ccmledger.patient}.
 */
package org.ccmledger.enrollment;
