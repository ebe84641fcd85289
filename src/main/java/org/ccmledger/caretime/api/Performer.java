package org.ccmledger.caretime.api;

import java.util.regex.Pattern;

import org.ccmledger.platform.problem.Refusal;

/** The staff member who performed care time, by id (not name) and role. */
public record Performer(String id, PerformerRole role) {

    /** Compiled once: a record built for every value read, not a pattern per value. */
    private static final Pattern FORMAT = Pattern.compile("[A-Za-z0-9._@-]{1,64}");

    public Performer {
        if (id == null || !FORMAT.matcher(id).matches()) {
            throw Refusal.rule("INVALID_PERFORMER", "R3", "performer id must be 1-64 letters, digits or ._@-");
        }
        if (role == null) {
            throw Refusal.rule("INVALID_PERFORMER", "R3", "performer role is required");
        }
    }
}
