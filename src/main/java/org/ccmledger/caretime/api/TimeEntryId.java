package org.ccmledger.caretime.api;

import java.util.UUID;

import org.ccmledger.platform.problem.Refusal;

/** Identifies one logged time entry; chosen by the client or generated. 1–64 letters, digits, '.', '-' or '_'. */
public record TimeEntryId(String value) {

    public TimeEntryId {
        if (value == null || !value.matches("[A-Za-z0-9._-]{1,64}")) {
            throw Refusal.rule("INVALID_ENTRY_ID", null, "entryId must be 1-64 letters, digits, '.', '-' or '_'");
        }
    }

    public static TimeEntryId random() {
        return new TimeEntryId(UUID.randomUUID().toString());
    }

    @Override
    public String toString() {
        return value;
    }
}
