package org.ccmledger.platform.axon;

import java.util.List;

/**
 * The metadata keys a command carries and Axon copies onto every event it causes: who acted and for which request,
 * and for a fact brought in by an onboarding import, the import, its line id and when the product it came from had
 * recorded it. None of them holds patient data. Hashed with the event like its payload.
 */
public final class Provenance {

    /** The acting user, from the request's verified token. */
    public static final String ACTOR = "actor";
    /** The request's correlation id. */
    public static final String REQUEST_ID = "requestId";
    /** The onboarding import that brought the fact in. */
    public static final String IMPORT_ID = "importId";
    /** The import line's id, unique per practice: a line is written once. */
    public static final String IMPORT_LINE = "importLine";
    /** When the product the practice came from recorded the fact (ISO-8601 instant), kept apart from our own. */
    public static final String ORIGINALLY_RECORDED_AT = "originallyRecordedAt";

    /** Every key copied from a command onto its events. */
    public static final List<String> KEYS = List.of(ACTOR, REQUEST_ID, IMPORT_ID, IMPORT_LINE, ORIGINALLY_RECORDED_AT);

    private Provenance() {
    }

    /** The original recorded-at of an imported fact, from its event's metadata; {@code null} for any other. */
    public static java.time.Instant originallyRecordedAt(java.util.Map<String, ?> metaData) {
        Object at = metaData.get(ORIGINALLY_RECORDED_AT);
        return at == null ? null : java.time.Instant.parse(at.toString());
    }
}
