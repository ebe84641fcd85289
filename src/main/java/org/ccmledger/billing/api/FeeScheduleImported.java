package org.ccmledger.billing.api;

import org.axonframework.serialization.Revision;

/**
 * A year's fee data was imported from a CMS file ({@link ImportFeeSchedule}): from now on the year is priced with this
 * version, and every statement names the version it was priced with, so which data billed a month stays provable.
 */
@Revision("1")
public record FeeScheduleImported(FeeScheduleId feeSchedule, int number, String version, String ruleData,
                                  String fileSha256, String source) {
}
