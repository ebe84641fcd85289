package org.ccmledger.caretime.api;

import org.ccmledger.platform.problem.Refusal;

/**
 * Whose care time a person may record, in one place: time is logged by the person who performed it (OWN_TIME_ONLY), in
 * a role their own roles allow (ROLE_REQUIRED: time as the billing practitioner needs that role, R3), and only that
 * person corrects or voids the entry (NOT_OWN_ENTRY, P4). Each refusal is a 403.
 */
public final class CareTimeOwnership {

    private CareTimeOwnership() {
    }

    /** The entry to log is the requester's own time, in a role they may log as. */
    public static void assertMayLog(Performer performer, CareTimeRequester requester) {
        if (!performer.id().equals(requester.user())) {
            throw Refusal.forbidden("OWN_TIME_ONLY", "care time is logged by the person who performed it: "
                    + "performer.id must be the caller");
        }
        if (!requester.mayLogAs().contains(performer.role())) {
            throw Refusal.forbidden("ROLE_REQUIRED", "logging time as " + performer.role()
                    + " needs a role that performs it (R3)");
        }
    }

    /** Only the person who performed the care corrects or voids its entry. */
    public static void assertOwnEntry(TimeEntry<?> entry, String requestedBy) {
        if (!entry.performer().id().equals(requestedBy)) {
            throw Refusal.forbidden("NOT_OWN_ENTRY", "only the person who performed the care may correct or void "
                    + "its time entry");
        }
    }
}
