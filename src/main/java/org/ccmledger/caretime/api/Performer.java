package org.ccmledger.caretime.api;

import org.ccmledger.platform.ids.IdFormat;
import org.ccmledger.platform.problem.Refusal;

/** The staff member who performed care time, by id (not name) and role. */
public record Performer(String id, PerformerRole role) {

    public Performer {
        if (!IdFormat.isStaffId(id)) {
            throw Refusal.rule("INVALID_PERFORMER", "R3", "performer id must be 1-64 letters, digits or ._@-");
        }
        if (role == null) {
            throw Refusal.rule("INVALID_PERFORMER", "R3", "performer role is required");
        }
    }
}
