package org.ccmledger.onboarding.api;

import java.util.function.BiFunction;
import java.util.function.Function;

import org.ccmledger.patient.EnrollmentId;

/**
 * One kind of historical fact a practice brings from another CCM product in an onboarding import: a line of kind
 * {@link #kind()} whose {@code body} has the same shape as the API's request for that fact, turned into the same
 * command the API would send, so the aggregate judges it by the same rules. The feature that owns the fact provides
 * it; the import knows nothing of the fact's fields.
 *
 * @param <B> the body's type, read from the line's JSON as the API reads its request body
 */
public interface ImportableFact<B> {

    /** The line's {@code kind}, e.g. {@code consent}. */
    String kind();

    /** The type the line's {@code body} is read as. */
    Class<B> bodyType();

    /**
     * The command the line asks for. A field that is missing or malformed is refused as the API refuses it (a
     * {@code Refusal} or a web input exception, 400); nothing is sent then.
     */
    Object command(EnrollmentId enrollment, B body);

    /** The aggregate (event stream) the fact is appended to, where a line whose outcome was lost is looked for. */
    String stream(EnrollmentId enrollment);

    /** Whether the patient must be enrolled before this fact is recorded (a fact on another stream than enrollment). */
    default boolean needsEnrollment() {
        return false;
    }

    /** A fact recorded on the patient's enrollment stream. */
    static <B> ImportableFact<B> ofEnrollment(String kind, Class<B> bodyType,
                                              BiFunction<EnrollmentId, B, Object> command) {
        return new Of<>(kind, bodyType, EnrollmentId::toString, false, command);
    }

    /** A fact recorded on a stream of its own ({@code stream}), for a patient who must be enrolled first. */
    static <B> ImportableFact<B> ofEnrolledPatient(String kind, Class<B> bodyType,
                                                   Function<EnrollmentId, String> stream,
                                                   BiFunction<EnrollmentId, B, Object> command) {
        return new Of<>(kind, bodyType, stream, true, command);
    }

    /** A fact made of its parts. */
    record Of<B>(String kind, Class<B> bodyType, Function<EnrollmentId, String> streams, boolean needsEnrollment,
                 BiFunction<EnrollmentId, B, Object> commands) implements ImportableFact<B> {

        @Override
        public Object command(EnrollmentId enrollment, B body) {
            return commands.apply(enrollment, body);
        }

        @Override
        public String stream(EnrollmentId enrollment) {
            return streams.apply(enrollment);
        }
    }
}
