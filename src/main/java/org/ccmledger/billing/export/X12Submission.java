package org.ccmledger.billing.export;

import java.util.List;
import java.util.Objects;

import org.ccmledger.identity.api.PatientIdentity;
import org.ccmledger.patient.PostalAddress;
import org.ccmledger.practice.api.PracticeProfile;

/**
 * Everything one 837P interchange says: its envelope, the submitter and receiver (1000A/B), the billing provider
 * (2000A/2010AA), the payer (2010BB) and the claims, each with its subscriber (2010BA) and what the frequency needs.
 *
 * @param envelope  ISA/GS: ids, control number, preparation time, usage
 * @param submitter 1000A name and id
 * @param contact   1000A PER: whom to call
 * @param receiver  1000B name and id
 * @param provider  the billing provider
 * @param payer     2010BB: the Medicare Administrative Contractor
 * @param claims    at least one
 */
public record X12Submission(X12Envelope envelope, PracticeProfile.Party submitter, PracticeProfile.Contact contact,
                            PracticeProfile.Party receiver, BillingProvider provider, PracticeProfile.Party payer,
                            List<X12Claim> claims) {

    public X12Submission {
        Objects.requireNonNull(envelope, "envelope");
        Objects.requireNonNull(submitter, "submitter");
        Objects.requireNonNull(contact, "contact");
        Objects.requireNonNull(receiver, "receiver");
        Objects.requireNonNull(provider, "provider");
        Objects.requireNonNull(payer, "payer");
        claims = List.copyOf(claims);
    }

    /**
     * The billing provider (2010AA): legal name, NPI, tax id with its qualifier ({@code EI} an EIN, {@code SY} an SSN),
     * address and taxonomy (PRV).
     */
    public record BillingProvider(String name, String npi, String taxIdQualifier, String taxId,
                                  PostalAddress address, String taxonomyCode) {

        public BillingProvider {
            Objects.requireNonNull(name, "name");
            Objects.requireNonNull(npi, "npi");
            Objects.requireNonNull(taxId, "taxId");
            Objects.requireNonNull(address, "address");
            Objects.requireNonNull(taxonomyCode, "taxonomyCode");
            if (!"EI".equals(taxIdQualifier) && !"SY".equals(taxIdQualifier)) {
                throw new IllegalArgumentException("the tax id qualifier is EI or SY");
            }
        }
    }

    /**
     * One claim as it goes out.
     *
     * @param claim          the claim's content (lines, diagnoses, place of service)
     * @param frequency      CLM05-3: {@code 1} original, {@code 7} replacement, {@code 8} void
     * @param controlNumber  CLM01, at most 20 characters, unique per claim version
     * @param payerReference the payer's ICN of the claim replaced or voided (REF*F8); {@code null} for an original
     * @param subscriber     the patient, who is the Medicare subscriber (2010BA)
     * @param rendering      the rendering practitioner's name when not the billing provider (2310B), else {@code null}
     */
    public record X12Claim(Claim claim, String frequency, String controlNumber, String payerReference,
                           PatientIdentity subscriber, PracticeProfile.PractitionerName rendering) {

        public X12Claim {
            Objects.requireNonNull(claim, "claim");
            Objects.requireNonNull(controlNumber, "controlNumber");
            Objects.requireNonNull(subscriber, "subscriber");
            if (!List.of("1", "7", "8").contains(frequency)) {
                throw new IllegalArgumentException("a claim's frequency is 1, 7 or 8");
            }
            if (("1".equals(frequency)) != (payerReference == null)) {
                throw new IllegalArgumentException("a replacement or void, and only those, names the payer's claim "
                                                   + "number it replaces");
            }
            if (controlNumber.length() > 20 || !controlNumber.matches("[A-Za-z0-9]+")) {
                throw new IllegalArgumentException("CLM01 is 1 to 20 letters or digits");
            }
        }
    }
}
