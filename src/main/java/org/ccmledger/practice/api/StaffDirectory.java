package org.ccmledger.practice.api;

import java.time.Instant;
import java.util.Map;

import org.ccmledger.patient.PracticeId;

/** A practice's staff directory as recorded, read from the ledger. */
public interface StaffDirectory {

    /** Every member by user id as the ledger knew them at {@code instant} ({@code null}: now). */
    Map<String, StaffMember> asOf(PracticeId practice, Instant instant);
}
