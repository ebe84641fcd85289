package org.ccmledger.benchmark;

import java.io.IOException;
import java.text.ParseException;
import java.time.Duration;

import jdk.jfr.Configuration;
import jdk.jfr.Recording;

/**
 * Flight Recorder for the benchmarks that record what they time ({@code -Dreplay.jfr=true}, {@code -Dhttp.jfr=true},
 * {@code -Dimport.jfr=true}, {@code -Dmonth.jfr=true}).
 * <p>
 * The first recording of a JVM started without an agent costs all of its compiled code: starting it redefines Flight
 * Recorder's event classes, and such a JVM has kept no record of what its compiled code depends on, so at the first
 * redefinition it discards all of it and compiles again (a billing rebuild recorded that way ran at 0.10× the store's
 * replay, compiling 13 s; 0.45× with Flight Recorder on from the JVM's start). A benchmark pays that with
 * {@link #payFirstRecording()} before it builds or times anything.
 */
final class FlightRecordings {

    private FlightRecordings() {
    }

    /** Starts and stops a recording, so that the one a timing makes redefines nothing. */
    static void payFirstRecording() throws IOException, ParseException {
        try (Recording first = start(false)) {
            first.stop();
        }
    }

    /** A recording with the JDK's {@code profile} settings, started; Java sampled every millisecond if asked. */
    static Recording start(boolean sampleEveryMillisecond) throws IOException, ParseException {
        Recording recording = new Recording(Configuration.getConfiguration("profile"));
        if (sampleEveryMillisecond) {
            recording.enable("jdk.ExecutionSample").withPeriod(Duration.ofMillis(1));
        }
        recording.start();
        return recording;
    }
}
