package org.ccmledger.caretime.api;

import java.util.EnumSet;
import java.util.Set;

/**
 * Who asks to record care time: their user id (from the verified token) and the performer roles their own roles let
 * them log time as (care staff: clinical staff, other QHP, non-clinical; billing practitioners: their own
 * practitioner time).
 */
public record CareTimeRequester(String user, Set<PerformerRole> mayLogAs) {

    public CareTimeRequester {
        mayLogAs = mayLogAs.isEmpty() ? Set.of() : Set.copyOf(EnumSet.copyOf(mayLogAs));
    }

    /** The performer, logging their own time in the role they performed it in. */
    public static CareTimeRequester themselves(Performer performer) {
        return new CareTimeRequester(performer.id(), Set.of(performer.role()));
    }
}
