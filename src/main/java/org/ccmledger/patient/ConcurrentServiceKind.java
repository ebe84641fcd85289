package org.ccmledger.patient;

import java.util.Arrays;
import java.util.Optional;
import java.util.Set;

/**
 * Services billed for a patient in a month next to CCM, by HCPCS/CPT code, grouped as the exclusion matrix of
 * ccm-rules.md groups them. The billing rules decide what each means for CCM.
 */
public enum ConcurrentServiceKind {
    TCM(Set.of("99495", "99496")),
    PCM(Set.of("99424", "99425", "99426", "99427")),
    APCM(Set.of("G0556", "G0557", "G0558")),
    /** The 2026 behavioural-health add-ons to APCM (R16): only with the same practitioner's APCM that month. */
    APCM_BEHAVIORAL_HEALTH(Set.of("G0568", "G0569", "G0570")),
    HOME_HEALTH_OR_HOSPICE_SUPERVISION(Set.of("G0181", "G0182")),
    ESRD(Set.of("90951", "90952", "90953", "90954", "90955", "90956", "90957", "90958", "90959", "90960", "90961",
                "90962", "90963", "90964", "90965", "90966", "90967", "90968", "90969", "90970")),
    RPM(Set.of("99453", "99454", "99457", "99458")),
    BHI(Set.of("99484"));

    private final Set<String> codes;

    ConcurrentServiceKind(Set<String> codes) {
        this.codes = codes;
    }

    public static Optional<ConcurrentServiceKind> of(String code) {
        return Arrays.stream(values()).filter(kind -> kind.codes.contains(code)).findFirst();
    }
}
