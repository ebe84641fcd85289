/**
 * Care time: minutes of non-face-to-face care logged for a patient. What counts is one function in {@code api}
 * ({@code CountableMinutes}, over the entry fold {@code CareTimeEntries} and the calendar fold {@code CareCalendar}),
 * which billing, the minutes read model and the audit packet use; whose time a person may record is
 * {@code CareTimeOwnership}. This package takes care time over HTTP and keeps the monthly-minutes read model.
 */
package org.ccmledger.caretime;
