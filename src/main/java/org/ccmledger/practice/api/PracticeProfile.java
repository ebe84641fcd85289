package org.ccmledger.practice.api;

import java.util.Map;
import java.util.regex.Pattern;

import org.ccmledger.platform.problem.Refusal;

/**
 * What a practice states about itself for billing: where it bills from (R13) and how its claims go out. Recorded as
 * a whole each time ({@link PracticeProfileRecorded}); every export and evaluation reads the profile in force.
 *
 * @param placeOfService     the CMS place-of-service code of the practice's billing location (R13), e.g. {@code 11};
 *                           a facility place (19, 21, 22, 23, 31 …) is paid the facility rate
 * @param locations          other billing locations of the practice by id, where they differ; a patient enrolled at
 *                           one is billed with its place of service
 * @param exportVisitClaims  whether the ledger also exports the initiating visit's claim (with its G0506 add-on) in
 *                           X12; when {@code false} the visit is billed elsewhere and X12 leaves G0506 out (R9)
 */
public record PracticeProfile(String placeOfService, Map<String, Location> locations, boolean exportVisitClaims) {

    private static final Pattern POS = Pattern.compile("0[1-9]|[1-9][0-9]");
    private static final Pattern LOCATION_ID = Pattern.compile("[A-Za-z0-9._-]{1,64}");

    /** A billing location other than the practice's main one. */
    public record Location(String name, String placeOfService) {

        public Location {
            requirePlaceOfService(placeOfService, "locations[].placeOfService");
            if (name != null && name.length() > 200) {
                throw Refusal.malformed("INVALID_FIELD", "locations[].name must be at most 200 characters");
            }
        }
    }

    public PracticeProfile {
        requirePlaceOfService(placeOfService, "placeOfService");
        locations = locations == null ? Map.of() : Map.copyOf(locations);
        if (locations.size() > 500) {
            throw Refusal.malformed("INVALID_FIELD", "a profile names at most 500 locations");
        }
        locations.keySet().forEach(id -> {
            if (!LOCATION_ID.matcher(id).matches()) {
                throw Refusal.malformed("INVALID_FIELD", "a location id is 1-64 letters, digits or ._-");
            }
        });
    }

    /** The place of service of a location, or the practice's own for {@code null} or a location not listed. */
    public String placeOfService(String location) {
        Location at = location == null ? null : locations.get(location);
        return at == null ? placeOfService : at.placeOfService();
    }

    static void requirePlaceOfService(String code, String field) {
        if (code == null || !POS.matcher(code).matches()) {
            throw Refusal.malformed("INVALID_FIELD", field + " must be a two-digit CMS place-of-service code, 01-99");
        }
    }
}
