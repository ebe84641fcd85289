package org.ccmledger.billing.api;

import org.axonframework.modelling.command.TargetAggregateIdentifier;

/**
 * Records a year's fee data read from a CMS relative value file as a new rule-data version (R15).
 *
 * @param number    the import's number in the year, 1, 2 …: refused unless it is the next one (two imports at once)
 * @param version   the rule-data version it becomes, e.g. {@code pfs-2027.1}, recorded on every statement priced with it
 * @param ruleData  the complete rule data as JSON (the format of {@code billing/ccm-rules-<year>.json})
 * @param fileSha256 SHA-256 of the file as uploaded, uncompressed
 * @param source    where the file came from, as the operator says
 */
public record ImportFeeSchedule(@TargetAggregateIdentifier FeeScheduleId feeSchedule, int number, String version,
                                String ruleData, String fileSha256, String source) {
}
