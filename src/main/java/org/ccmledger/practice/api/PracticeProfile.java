package org.ccmledger.practice.api;

import java.util.ArrayList;
import java.util.EnumSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Pattern;

import org.ccmledger.patient.Npi;
import org.ccmledger.patient.PostalAddress;
import org.ccmledger.platform.crypto.Sealed;
import org.ccmledger.platform.ids.IdFormat;
import org.ccmledger.platform.problem.Refusal;
import org.ccmledger.platform.security.BreakGlass;
import org.ccmledger.platform.security.Role;

/**
 * What a practice states about itself for billing and claims: where it bills from (R13), who it is on a claim
 * (legal name, billing provider NPI, tax id, address, taxonomy), whom its claims go to (the Medicare contractor) and
 * through whom (submitter, receiver), and whether its exports are tests. Recorded as a whole each time
 * ({@link PracticeProfileRecorded}); every export reads the profile in force. Only the place of service is needed
 * to bill; an export refuses a profile missing what the 837P needs, listing it ({@link #missingForClaims()}).
 *
 * @param placeOfService     the CMS place-of-service code of the practice's billing location (R13), e.g. {@code 11}
 * @param locations          other billing locations by id, where they differ
 * @param exportVisitClaims  whether the ledger also exports the initiating visit's claim (with G0506, R9)
 * @param legalName          the billing provider's legal name (2010AA NM103)
 * @param billingProviderNpi the billing provider's NPI (2010AA NM109): the practice's organisation NPI
 * @param taxId              the billing provider's tax id (REF*EI, or a sole practitioner's SSN for REF*SY, sealed)
 * @param address            the billing provider's address (N3/N4; a street address, not a PO box)
 * @param contact            whom the receiver calls about the file (1000A PER)
 * @param taxonomyCode       the billing provider's taxonomy (PRV*BI*PXC), e.g. {@code 207Q00000X}
 * @param payer              the Medicare Administrative Contractor the claims go to (2010BB): payer id and name
 * @param submitter          the submitter (ISA06/GS02, 1000A): id and name
 * @param receiver           the receiver (ISA08/GS03, 1000B): id and name
 * @param usage              {@code T} (test) or {@code P} (production): ISA15
 * @param practitioners      names of the practice's billing practitioners by NPI, for the rendering provider (2310B)
 * @param lateEntryDays      how many days after the care a time entry may be recorded before the audit packet and
 *                           the risk scan mark it as recorded late ({@code null}: 7)
 * @param breakGlassRoles    the practice's roles (claim values such as {@code care-staff}) whose users may read a
 *                           patient record their role does not open, in an emergency and for a stated reason
 *                           ({@code X-Break-Glass}); none when empty, the default
 */
public record PracticeProfile(String placeOfService, Map<String, Location> locations, boolean exportVisitClaims,
                              String legalName, String billingProviderNpi, TaxId taxId, PostalAddress address,
                              Contact contact, String taxonomyCode, Party payer, Party submitter, Party receiver,
                              String usage, Map<String, PractitionerName> practitioners, Integer lateEntryDays,
                              List<String> breakGlassRoles) {

    /** Entries recorded more than this many days after the care are marked late unless the profile says otherwise. */
    public static final int DEFAULT_LATE_ENTRY_DAYS = 7;

    private static final Pattern POS = Pattern.compile("0[1-9]|[1-9][0-9]");
    private static final Pattern NAME = Pattern.compile("[\\p{L}0-9 &.,'/-]{1,60}");
    private static final Pattern TAXONOMY = Pattern.compile("[0-9A-Z]{9}X");
    private static final Pattern X12_ID = Pattern.compile("[A-Z0-9]{2,15}");
    private static final Pattern PAYER_ID = Pattern.compile("[A-Z0-9]{2,80}");
    private static final Pattern USAGE = Pattern.compile("[TP]");

    /** A billing location other than the practice's main one. */
    public record Location(String name, String placeOfService) {

        public Location {
            requirePlaceOfService(placeOfService, "locations[].placeOfService");
            require(name == null || name.length() <= 200, "locations[].name", "at most 200 characters");
        }
    }

    /**
     * The billing provider's tax id: an EIN (nine digits, sent as REF*EI), or a sole practitioner's SSN (REF*SY), which
     * is sealed with the practice's key and never held in clear.
     */
    public record TaxId(String type, String ein, Sealed ssn) {

        public TaxId {
            require("EIN".equals(type) || "SSN".equals(type), "taxId.type", "EIN or SSN");
            require("EIN".equals(type) ? ein != null && ein.matches("[0-9]{9}") && ssn == null
                            : ein == null && ssn != null, "taxId", "an EIN of nine digits, or a sealed SSN");
        }
    }

    /** Whom to call about the file: a name and a ten-digit phone number, an e-mail address optionally. */
    public record Contact(String name, String phone, String email) {

        public Contact {
            require(name != null && NAME.matcher(name).matches(), "contact.name", "1-60 letters");
            require(phone != null && phone.matches("[0-9]{10}"), "contact.phone", "ten digits");
            require(email == null || email.matches("[A-Za-z0-9._%+-]{1,64}@[A-Za-z0-9.-]{1,190}\\.[A-Za-z]{2,}"),
                    "contact.email", "an e-mail address");
        }
    }

    /** A party of the interchange or the claim: its X12 id and name. */
    public record Party(String id, String name) {

        public Party {
            require(id != null && PAYER_ID.matcher(id).matches(), "id", "2-80 capital letters or digits");
            require(name != null && NAME.matcher(name).matches(), "name", "1-60 letters");
        }
    }

    /** A practitioner's name as a claim carries it (2310B NM1*82). */
    public record PractitionerName(String givenName, String familyName) {

        public PractitionerName {
            require(givenName != null && NAME.matcher(givenName).matches(), "practitioners[].givenName",
                    "1-60 letters");
            require(familyName != null && NAME.matcher(familyName).matches(), "practitioners[].familyName",
                    "1-60 letters");
        }
    }

    public PracticeProfile {
        requirePlaceOfService(placeOfService, "placeOfService");
        locations = locations == null ? Map.of() : Map.copyOf(locations);
        practitioners = practitioners == null ? Map.of() : Map.copyOf(practitioners);
        require(locations.size() <= 500 && practitioners.size() <= 500, "locations", "at most 500 entries");
        locations.keySet().forEach(id -> require(IdFormat.isId(id), "locations",
                                                 "ids of 1-64 letters, digits or ._-"));
        practitioners.keySet().forEach(Npi::new);
        require(legalName == null || NAME.matcher(legalName).matches(), "legalName", "1-60 letters");
        if (billingProviderNpi != null) {
            new Npi(billingProviderNpi);
        }
        require(taxonomyCode == null || TAXONOMY.matcher(taxonomyCode).matches(), "taxonomyCode",
                "ten characters, nine letters or digits then X");
        require(submitter == null || X12_ID.matcher(submitter.id()).matches(), "submitter.id",
                "2-15 capital letters or digits (ISA06)");
        require(receiver == null || X12_ID.matcher(receiver.id()).matches(), "receiver.id",
                "2-15 capital letters or digits (ISA08)");
        require(usage == null || USAGE.matcher(usage).matches(), "usage", "T (test) or P (production)");
        require(lateEntryDays == null || lateEntryDays >= 1 && lateEntryDays <= 365, "lateEntryDays", "1-365");
        breakGlassRoles = breakGlassRoles == null ? List.of()
                : breakGlassRoles.stream().distinct().sorted().toList();
        breakGlassRoles.forEach(name -> require(Role.fromClaimValue(name).filter(BreakGlass.eligibleRoles()::contains)
                                                    .isPresent(), "breakGlassRoles",
                                                "roles of the practice, such as care-staff or billing-practitioner"));
        require(address == null || address.zip().length() == 9, "address.zip",
                "the nine digits of ZIP+4: the 837P requires them for the billing provider (2010AA N403)");
    }

    /** A profile with only a place of service (and its locations, and the visit-claim setting). */
    public PracticeProfile(String placeOfService, Map<String, Location> locations, boolean exportVisitClaims) {
        this(placeOfService, locations, exportVisitClaims, null, null, null, null, null, null, null, null, null, null,
             null, null, null);
    }

    /** The days after which a time entry counts as recorded late: {@link #lateEntryDays} or 7. */
    public int lateEntryThreshold() {
        return lateEntryDays == null ? DEFAULT_LATE_ENTRY_DAYS : lateEntryDays;
    }

    /** The roles whose users may break the glass for a patient record of this practice. */
    public Set<Role> breakGlassRoleSet() {
        Set<Role> roles = EnumSet.noneOf(Role.class);
        breakGlassRoles.forEach(name -> Role.fromClaimValue(name).ifPresent(roles::add));
        return roles;
    }

    /** The place of service of a location, or the practice's own for {@code null} or a location not listed. */
    public String placeOfService(String location) {
        Location at = location == null ? null : locations.get(location);
        return at == null ? placeOfService : at.placeOfService();
    }

    /** The fields an 837P needs that this profile lacks; empty when it can be exported. */
    public List<String> missingForClaims() {
        List<String> missing = new ArrayList<>();
        add(missing, legalName, "legalName");
        add(missing, billingProviderNpi, "billingProviderNpi");
        add(missing, taxId, "taxId");
        add(missing, address, "address");
        add(missing, contact, "contact");
        add(missing, taxonomyCode, "taxonomyCode");
        add(missing, payer, "payer");
        add(missing, submitter, "submitter");
        add(missing, receiver, "receiver");
        add(missing, usage, "usage");
        return missing;
    }

    private static void add(List<String> missing, Object value, String field) {
        if (value == null) {
            missing.add(field);
        }
    }

    static void requirePlaceOfService(String code, String field) {
        require(code != null && POS.matcher(code).matches(), field, "a two-digit CMS place-of-service code, 01-99");
    }

    private static void require(boolean ok, String field, String what) {
        if (!ok) {
            throw Refusal.malformed("INVALID_FIELD", "Field '" + field + "' must be " + what);
        }
    }
}
