package org.ccmledger.identity;

import java.time.Instant;
import java.util.List;
import java.util.Optional;

import org.ccmledger.identity.api.IdentityId;
import org.ccmledger.identity.api.IdentitySealer;
import org.ccmledger.identity.api.PatientIdentities;
import org.ccmledger.identity.api.PatientIdentity;
import org.ccmledger.identity.api.PatientIdentityErased;
import org.ccmledger.identity.api.PatientIdentityRecorded;
import org.ccmledger.patient.EnrollmentId;
import org.ccmledger.platform.axon.LedgerJson;
import org.ccmledger.platform.axon.ReferenceStreams;
import org.ccmledger.platform.crypto.FieldVault;
import org.ccmledger.platform.crypto.Sealed;
import org.springframework.stereotype.Component;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;

/**
 * Seals identities with each patient's own key before they are recorded, and opens the version recorded last. The
 * subject of a patient's key is the patient's enrollment id; erasing it is crypto-shredding ({@link FieldVault}).
 */
@Component
class IdentityStore implements PatientIdentities, IdentitySealer {

    private final ReferenceStreams streams;
    private final FieldVault vault;
    private final ObjectMapper json = LedgerJson.mapper();

    IdentityStore(ReferenceStreams streams, FieldVault vault) {
        this.streams = streams;
        this.vault = vault;
    }

    @Override
    public Sealed seal(EnrollmentId patient, PatientIdentity identity) {
        try {
            return vault.seal(patient.toString(), json.writeValueAsString(identity));
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("an identity cannot be written", e);
        }
    }

    @Override
    public Lookup identity(EnrollmentId patient) {
        PatientIdentityRecorded last = null;
        boolean erased = false;
        for (Object payload : streams.payloads(new IdentityId(patient).toString())) {
            if (payload instanceof PatientIdentityRecorded recorded) {
                last = recorded;
            } else if (payload instanceof PatientIdentityErased) {
                erased = true;
            }
        }
        if (last == null) {
            return new Lookup(Status.NONE, 0, null);
        }
        if (erased) {
            // an erasure recorded but not carried out (the service stopped between the two) is finished here
            vault.erase(patient.toString());
            return new Lookup(Status.ERASED, last.version(), null);
        }
        int version = last.version();
        return vault.open(patient.toString(), last.identity())
                    .map(text -> new Lookup(Status.PRESENT, version, read(text)))
                    .orElseGet(() -> new Lookup(Status.ERASED, version, null));
    }

    /** When the patient's record (the enrollment stream) last changed; empty for a patient never enrolled. */
    Optional<Instant> lastChange(EnrollmentId patient) {
        List<ReferenceStreams.Recorded> events = streams.events(patient.toString());
        streams.forget(patient.toString()); // read once for an erasure, not kept
        return events.isEmpty() ? Optional.empty() : Optional.of(events.get(events.size() - 1).recordedAt());
    }

    /** Destroys the patient's key: the crypto-shredding itself, after the erasure is recorded. */
    void shred(EnrollmentId patient) {
        vault.erase(patient.toString());
        changed(patient);
    }

    void changed(EnrollmentId patient) {
        streams.forget(new IdentityId(patient).toString());
    }

    private PatientIdentity read(String text) {
        try {
            return json.readValue(text, PatientIdentity.class);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("a recorded identity does not read back", e);
        }
    }
}
