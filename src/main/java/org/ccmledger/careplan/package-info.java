/**
 * Care plans (R10): every billed CCM month needs a comprehensive care plan, with its problem list, expected outcome,
 * measurable goals, symptom and medication management, interventions, coordination and review schedule, and a copy
 * for the patient. Each revision is a new version of the plan; none is ever overwritten (P4).
 */
package org.ccmledger.careplan;
