package org.ccmledger.identity;

import java.time.Instant;
import java.util.ArrayList;
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
import org.bson.Document;
import org.springframework.stereotype.Component;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.mongodb.client.MongoCollection;
import com.mongodb.client.MongoDatabase;
import com.mongodb.client.model.Filters;
import com.mongodb.client.model.UpdateOptions;
import com.mongodb.client.model.Updates;

/**
 * Seals identities with each patient's own key before they are recorded, and opens the version recorded last. The
 * subject of a patient's key is the patient's enrollment id; erasing it is crypto-shredding ({@link FieldVault}).
 */
@Component
class IdentityStore implements PatientIdentities, IdentitySealer {

    /** The purpose the keyed hashes of MBIs are taken under (their key is derived from the master key for it). */
    static final String BENEFICIARY_HASH = "beneficiary-index/mbi/v1";
    static final String INDEX = "beneficiary_index";

    private final ReferenceStreams streams;
    private final FieldVault vault;
    private final MongoCollection<Document> index;
    private final ObjectMapper json = LedgerJson.mapper();

    IdentityStore(ReferenceStreams streams, FieldVault vault, MongoDatabase database) {
        this.streams = streams;
        this.vault = vault;
        this.index = database.getCollection(INDEX);
    }

    /**
     * Seals the identity with the patient's key and enters the patient under the keyed hash of the MBI in
     * {@code beneficiary_index} ({@code _id} the hash, {@code holders} the enrollments): entered before the identity
     * is recorded, so a holder is only a candidate, confirmed against the identity recorded last when read.
     */
    @Override
    public Sealed seal(EnrollmentId patient, PatientIdentity identity) {
        index.updateOne(Filters.eq("_id", beneficiaryKey(identity)), Updates.addToSet("holders", patient.toString()),
                        new UpdateOptions().upsert(true));
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

    @Override
    public void prefetch(List<EnrollmentId> patients) {
        streams.prefetch(patients.stream().map(p -> new IdentityId(p).toString()).toList());
    }

    @Override
    public List<EnrollmentId> sameBeneficiary(EnrollmentId patient) {
        Lookup own = identity(patient);
        if (own.status() != Status.PRESENT) {
            return List.of();
        }
        String key = beneficiaryKey(own.identity());
        Document entry = index.find(Filters.eq("_id", key)).first();
        if (entry == null) {
            return List.of();
        }
        List<EnrollmentId> same = new ArrayList<>();
        for (String holder : entry.getList("holders", String.class)) {
            int slash = holder.indexOf('/');
            EnrollmentId other = EnrollmentId.of(holder.substring(0, slash), holder.substring(slash + 1));
            if (!other.equals(patient)) {
                Lookup theirs = identity(other);
                if (theirs.status() == Status.PRESENT && key.equals(beneficiaryKey(theirs.identity()))) {
                    same.add(other);
                }
            }
        }
        return same;
    }

    private String beneficiaryKey(PatientIdentity identity) {
        return vault.keyedHash(BENEFICIARY_HASH, identity.mbi());
    }

    /** When the patient's record (the enrollment stream) last changed; empty for a patient never enrolled. */
    Optional<Instant> lastChange(EnrollmentId patient) {
        List<ReferenceStreams.Recorded> events = streams.events(patient.toString());
        streams.forget(patient.toString()); // read once for an erasure, not kept
        return events.isEmpty() ? Optional.empty() : Optional.of(events.get(events.size() - 1).recordedAt());
    }

    /** Destroys the patient's key: the crypto-shredding itself, after the erasure is recorded. */
    void shred(EnrollmentId patient) {
        // out of the index first, while the key still opens the identity recorded last
        streams.forget(new IdentityId(patient).toString());
        PatientIdentityRecorded last = null;
        for (Object payload : streams.payloads(new IdentityId(patient).toString())) {
            if (payload instanceof PatientIdentityRecorded recorded) {
                last = recorded;
            }
        }
        if (last != null) {
            vault.open(patient.toString(), last.identity()).map(this::read).ifPresent(
                    identity -> index.updateOne(Filters.eq("_id", beneficiaryKey(identity)),
                                                Updates.pull("holders", patient.toString())));
        }
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
