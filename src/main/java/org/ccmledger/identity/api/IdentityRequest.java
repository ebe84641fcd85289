package org.ccmledger.identity.api;

import java.time.LocalDate;

import org.ccmledger.patient.PostalAddress;

/**
 * A patient's identity as an HTTP body: read as given, checked when turned into a {@link PatientIdentity} so that a
 * bad field is refused naming it (400 for the shape, 422 {@code INVALID_MBI} for an MBI CMS would not issue).
 */
public record IdentityRequest(String mbi, String givenName, String familyName, LocalDate birthDate, String sex,
                              AddressRequest address) {

    public record AddressRequest(String line1, String line2, String city, String state, String zip) {
    }

    public PatientIdentity toIdentity() {
        PostalAddress postal = address == null ? null
                : new PostalAddress(address.line1(), address.line2(), address.city(), address.state(), address.zip());
        return new PatientIdentity(mbi, givenName, familyName, birthDate, sex, postal);
    }
}
