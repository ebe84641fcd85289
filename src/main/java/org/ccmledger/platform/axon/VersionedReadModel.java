package org.ccmledger.platform.axon;

/**
 * A read model whose stored shape has a version. When the version in the code differs from the one its documents were
 * written with, {@link ReadModelVersions} empties it and sends its processor back to the start of the ledger before
 * any processor starts, so it is rebuilt in the new shape. Bump the version with every change of shape.
 */
public interface VersionedReadModel {

    /** The processing group that keeps the read model. */
    String processingGroup();

    /** The version of the read model's shape: 1 for a read model that never changed; override to bump it. */
    default int readModelVersion() {
        return 1;
    }

    /** Empties the read model (its {@code @ResetHandler}). */
    void reset();
}
