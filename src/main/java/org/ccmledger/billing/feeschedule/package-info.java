/**
 * Fee schedules loaded without a release (R15): a year's CMS relative value file imported as a new rule-data version
 * (an event holding the whole data), and the catalog that answers each year's data in force (import, override,
 * shipped) and any version a statement names.
 */
package org.ccmledger.billing.feeschedule;
