package org.ccmledger.careplan.api;

import java.time.Instant;
import java.util.List;

/**
 * One version of a care plan (R10) with its content and {@code diff}, the elements that changed since the version
 * before; {@code null} for version 1, which establishes the plan.
 */
@io.swagger.v3.oas.annotations.media.Schema(name = "CarePlanHistoryVersion")
public record CarePlanVersion(int version, Instant revisedAt, String revisedBy, boolean substantialRevision,
                              Instant sharedWithPatientAt, CarePlanContent content, List<CarePlanChange> diff) {

    public CarePlanVersion {
        diff = diff == null ? null : List.copyOf(diff);
    }
}
