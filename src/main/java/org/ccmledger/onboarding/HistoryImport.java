package org.ccmledger.onboarding;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Clock;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Function;
import java.util.regex.Pattern;
import java.util.stream.Collectors;

import org.axonframework.commandhandling.GenericCommandMessage;
import org.axonframework.commandhandling.gateway.CommandGateway;
import org.axonframework.eventsourcing.eventstore.EventStore;
import org.axonframework.messaging.GenericMessage;
import org.axonframework.messaging.MetaData;
import org.axonframework.messaging.unitofwork.DefaultUnitOfWork;
import org.ccmledger.onboarding.ImportLines.Known;
import org.ccmledger.onboarding.ImportLines.State;
import org.ccmledger.onboarding.api.ImportableFact;
import org.ccmledger.patient.EnrollmentId;
import org.ccmledger.patient.PatientId;
import org.ccmledger.platform.axon.Provenance;
import org.ccmledger.platform.problem.Refusal;
import org.ccmledger.platform.web.ProblemResponses;
import org.springframework.http.ProblemDetail;
import org.springframework.stereotype.Component;

import tools.jackson.core.JacksonException;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * Runs an onboarding import: each NDJSON line becomes the command its fact's feature says, sent as the API sends it
 * (so the aggregates judge it by the same rules) with the importing user as actor and the import's provenance as
 * metadata. Lines of one patient run in file order; patients are spread over {@link #LANES} lanes that run side by
 * side. A line is either written whole (one command, one commit) or refused with the problem and rule, and a line id
 * already written is answered as a duplicate without writing anything ({@link ImportLines}).
 */
@Component
class HistoryImport {

    /** Patients handled side by side: each lane sends one command at a time. */
    static final int LANES = 8;

    private static final Pattern LINE_ID = Pattern.compile("[A-Za-z0-9._:-]{1,128}");
    private static final Set<String> LINE_FIELDS = Set.of("line", "kind", "patientId", "recordedAt", "body");

    private final Map<String, ImportableFact<?>> facts;
    private final CommandGateway commands;
    private final EventStore events;
    private final ImportLines lines;
    private final JsonMapper json;
    private final ProblemResponses problems;
    private final Clock clock = Clock.systemUTC();

    HistoryImport(List<ImportableFact<?>> facts, CommandGateway commands, EventStore events, ImportLines lines,
                  JsonMapper json, ProblemResponses problems) {
        this.facts = facts.stream().collect(Collectors.toUnmodifiableMap(ImportableFact::kind, Function.identity()));
        this.commands = commands;
        this.events = events;
        this.lines = lines;
        this.json = json;
        this.problems = problems;
    }

    /** The kinds of line an import takes. */
    Set<String> kinds() {
        return facts.keySet();
    }

    /** One import's state: who runs it, for which practice, and which patients it enrolled so far. */
    final class Run {

        private final String practiceId;
        private final String importId;
        private final MetaData metaData;
        private final Set<String> enrolled = ConcurrentHashMap.newKeySet();

        private final java.util.concurrent.atomic.AtomicLong renewedAt;

        Run(String practiceId, String importId, MetaData caller) {
            this.practiceId = practiceId;
            this.importId = importId;
            this.metaData = caller.and(Provenance.IMPORT_ID, importId);
            this.renewedAt = new java.util.concurrent.atomic.AtomicLong(clock.millis());
        }

        /** Renews the practice's lease when half of it has passed (blocking). */
        private void keepLease() {
            long last = renewedAt.get();
            long now = clock.millis();
            if (now - last > ImportLines.LEASE.toMillis() / 2 && renewedAt.compareAndSet(last, now)) {
                lines.renew(practiceId, importId);
            }
        }

        String importId() {
            return importId;
        }

        /**
         * Reads a line (no I/O): the line and its command, or its refusal when it cannot be read or its body is not
         * what its kind takes.
         */
        Read read(long number, String raw) {
            try {
                return new Read(number, parse(raw), null);
            } catch (LineRefused refused) {
                return new Read(number, null, new LineOutcome(number, refused.lineId, refused.kind, refused.patientId,
                                                              LineOutcome.Status.REFUSED,
                                                              LineOutcome.problem(problems.problemFor(
                                                                      refused.getCause()))));
            }
        }

        /**
         * Writes a lane's batch of lines in file order (blocking: the command bus and the database): each line not
         * written before becomes its command, all of the batch's commands in one unit of work, so their events go to
         * the ledger in one commit (each command still judged alone: a refused one adds nothing). Should that commit
         * fail, the batch's lines are written one by one instead.
         */
        List<LineOutcome> send(List<Read> batch) {
            keepLease();
            LineOutcome[] outcomes = new LineOutcome[batch.size()];
            Map<String, Known> known = lines.known(practiceId, batch.stream().map(Read::line)
                                                                   .filter(java.util.Objects::nonNull)
                                                                   .map(ImportLine::lineId).toList());
            Set<String> inBatch = new java.util.HashSet<>();
            List<Integer> toClaim = new ArrayList<>();
            List<Integer> toSend = new ArrayList<>();
            List<ImportLine> settled = new ArrayList<>();
            for (int i = 0; i < outcomes.length; i++) {
                Read read = batch.get(i);
                ImportLine line = read.line();
                if (line == null) {
                    outcomes[i] = read.refused();
                    continue;
                }
                Known was = known.getOrDefault(line.lineId(), new Known(State.NEW, null, null));
                if (!inBatch.add(line.lineId()) || was.state() == State.CLAIMED && importId.equals(was.importId())) {
                    outcomes[i] = reused(read, "appears twice in this import");
                } else if (was.state() != State.NEW && !line.hash().equals(was.lineHash())) {
                    outcomes[i] = reused(read, "was imported before with other content");
                } else if (was.state() == State.DONE) {
                    noteEnrolled(line);
                    outcomes[i] = line.outcome(read.number(), LineOutcome.Status.DUPLICATE, null);
                } else if (was.state() == State.CLAIMED && inLedger(line)) {
                    // claimed by an import that died after its commit (this one holds the practice now)
                    settled.add(line);
                    noteEnrolled(line);
                    outcomes[i] = line.outcome(read.number(), LineOutcome.Status.DUPLICATE, null);
                } else {
                    if (was.state() == State.NEW) {
                        toClaim.add(i);
                    }
                    toSend.add(i);
                }
            }
            lines.done(practiceId, settled, importId);
            Set<String> taken = lines.claim(practiceId, toClaim.stream().map(i -> batch.get(i).line()).toList(),
                                            importId);
            toSend.removeIf(i -> {
                if (taken.contains(batch.get(i).line().lineId())) {
                    outcomes[i] = reused(batch.get(i), "appears twice in this import");
                    return true;
                }
                return false;
            });
            List<Read> sending = toSend.stream().map(batch::get).toList();
            List<LineOutcome> sent;
            try {
                sent = sendTogether(sending);
            } catch (RuntimeException commitFailed) {
                sent = new ArrayList<>();
                for (Read read : sending) {
                    sent.addAll(sendTogether(List.of(read)));
                }
            }
            for (int k = 0; k < toSend.size(); k++) {
                outcomes[toSend.get(k)] = sent.get(k);
            }
            return List.of(outcomes);
        }

        /** The lines' commands in one unit of work; their outcomes once it committed. Throws if the commit fails. */
        private List<LineOutcome> sendTogether(List<Read> sending) {
            if (sending.isEmpty()) {
                return List.of();
            }
            LineOutcome[] sent = new LineOutcome[sending.size()];
            List<ImportLine> accepted = new ArrayList<>();
            List<String> free = new ArrayList<>();
            // a patient's lines one after the other, in file order: the unit of work loads their aggregate once
            Map<String, List<Integer>> byPatient = new java.util.LinkedHashMap<>();
            for (int i = 0; i < sending.size(); i++) {
                byPatient.computeIfAbsent(sending.get(i).line().patientId(), p -> new ArrayList<>()).add(i);
            }
            DefaultUnitOfWork<?> unit = DefaultUnitOfWork.startAndGet(new GenericMessage<>(importId));
            try {
                for (int slot : byPatient.values().stream().flatMap(List::stream).toList()) {
                    Read read = sending.get(slot);
                    ImportLine line = read.line();
                    try {
                        if (line.fact().needsEnrollment() && !enrolled.contains(line.patientId())
                                && !enrolledIn(accepted, line) 
                                && events.lastSequenceNumberFor(line.enrollment().toString()).isEmpty()) {
                            throw Refusal.notFound("UNKNOWN_PATIENT", "no such patient in this practice: enrol the "
                                    + "patient in an earlier line");
                        }
                        commands.sendAndWait(GenericCommandMessage.asCommandMessage(line.command()).andMetaData(
                                metaData.and(Provenance.IMPORT_LINE, line.lineId())
                                        .and(Provenance.ORIGINALLY_RECORDED_AT, line.recordedAt().toString())));
                        accepted.add(line);
                        sent[slot] = line.outcome(read.number(), LineOutcome.Status.ACCEPTED, null);
                    } catch (RuntimeException failure) {
                        ProblemDetail problem = problems.problemFor(failure);
                        if (problem.getStatus() < 500) {
                            free.add(line.lineId());
                        }
                        sent[slot] = line.refused(read.number(), problem);
                    }
                }
                unit.commit();
            } catch (RuntimeException e) {
                if (unit.isActive()) {
                    unit.rollback(e);
                }
                throw e;
            }
            lines.done(practiceId, accepted, importId);
            lines.free(practiceId, free);
            accepted.forEach(this::noteEnrolled);
            return List.of(sent);
        }

        private boolean enrolledIn(List<ImportLine> accepted, ImportLine line) {
            return accepted.stream().anyMatch(earlier -> !earlier.fact().needsEnrollment()
                    && earlier.patientId().equals(line.patientId()));
        }

        private LineOutcome reused(Read read, String why) {
            return read.line().refused(read.number(), problems.problemFor(Refusal.conflict(
                    "LINE_ID_REUSED", "line id " + read.line().lineId() + " " + why)));
        }

        private void noteEnrolled(ImportLine line) {
            if (!line.fact().needsEnrollment()) {
                enrolled.add(line.patientId());
            }
        }

        /** Whether the line's stream holds an event of this line (every event of it, by the stream's key). */
        private boolean inLedger(ImportLine line) {
            // from the first event, not from a snapshot, which would stand for the line's event
            var stream = events.readEvents(line.fact().stream(line.enrollment()), 0);
            while (stream.hasNext()) {
                if (line.lineId().equals(stream.next().getMetaData().get(Provenance.IMPORT_LINE))) {
                    return true;
                }
            }
            return false;
        }

        private ImportLine parse(String raw) {
            String lineId = null;
            String kind = null;
            String patientId = null;
            try {
                JsonNode node;
                try {
                    node = json.readTree(raw);
                } catch (JacksonException e) {
                    throw Refusal.malformed("MALFORMED_LINE", "the line is not a JSON object");
                }
                if (node == null || !node.isObject()) {
                    throw Refusal.malformed("MALFORMED_LINE", "the line is not a JSON object");
                }
                for (String name : node.propertyNames()) {
                    if (!LINE_FIELDS.contains(name)) {
                        throw Refusal.malformed("MALFORMED_LINE", "unknown field '" + name + "' (a line has "
                                + String.join(", ", LINE_FIELDS.stream().sorted().toList()) + ")");
                    }
                }
                lineId = text(node, "line");
                if (!LINE_ID.matcher(lineId).matches()) {
                    String bad = lineId;
                    lineId = null;
                    throw Refusal.malformed("MALFORMED_LINE", "field 'line' must be 1-128 letters, digits or ._:- "
                            + "(" + bad.length() + " characters given)");
                }
                kind = text(node, "kind");
                ImportableFact<?> fact = facts.get(kind);
                if (fact == null) {
                    String unknown = kind;
                    kind = null;
                    throw Refusal.malformed("UNKNOWN_KIND", "field 'kind' must be one of "
                            + facts.keySet().stream().sorted().toList() + " (" + unknown.length()
                            + " characters given)");
                }
                patientId = text(node, "patientId");
                new PatientId(patientId);
                Instant recordedAt = recordedAt(text(node, "recordedAt"));
                JsonNode body = node.get("body");
                if (body == null || !body.isObject()) {
                    throw Refusal.malformed("MALFORMED_LINE", "field 'body' must be an object: the API's request "
                            + "body for this kind");
                }
                EnrollmentId enrollment = EnrollmentId.of(practiceId, patientId);
                Object command = command(fact, enrollment, body);
                return new ImportLine(lineId, kind, patientId, recordedAt, fact, enrollment, command, sha256(raw));
            } catch (RuntimeException e) {
                throw new LineRefused(lineId, kind, patientId, e);
            }
        }

        private <B> Object command(ImportableFact<B> fact, EnrollmentId enrollment, JsonNode body) {
            B read;
            try {
                read = json.treeToValue(body, fact.bodyType());
            } catch (JacksonException e) {
                throw Refusal.malformed("MALFORMED_BODY", "the body is not valid for kind '" + fact.kind()
                        + "' (malformed, wrong type, unknown field or unknown value)" + at(e));
            }
            return fact.command(enrollment, read);
        }

        private Instant recordedAt(String value) {
            Instant at;
            try {
                at = OffsetDateTime.parse(value).toInstant();
            } catch (DateTimeParseException e) {
                throw Refusal.malformed("MALFORMED_LINE", "field 'recordedAt' must be an ISO-8601 date-time with "
                        + "offset, when the product the practice came from recorded the fact");
            }
            if (at.isAfter(clock.instant())) {
                throw Refusal.malformed("MALFORMED_LINE", "field 'recordedAt' is in the future");
            }
            return at;
        }
    }

    /** Where in the body Jackson stopped: field names only, never a value. */
    private static String at(JacksonException e) {
        String path = e.getPath().stream()
                       .map(ref -> ref.getPropertyName() != null ? ref.getPropertyName() : "[" + ref.getIndex() + "]")
                       .collect(Collectors.joining("."));
        return path.isEmpty() ? "" : " at body." + path.replace(".[", "[");
    }

    private static String text(JsonNode node, String field) {
        JsonNode value = node.get(field);
        if (value == null || !value.isString() || value.asString().isBlank()) {
            throw Refusal.malformed("MALFORMED_LINE", "field '" + field + "' is required (a string)");
        }
        return value.asString();
    }

    static String sha256(String raw) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256")
                                                         .digest(raw.strip().getBytes(StandardCharsets.UTF_8)));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    /** A line as read: the line to send, or the outcome it already has. */
    record Read(long number, ImportLine line, LineOutcome refused) {

        /** The lane it runs in: its patient's, so that a patient's lines keep their order. */
        int lane() {
            return line == null ? 0 : Math.floorMod(line.patientId().hashCode(), LANES);
        }
    }

    /** A line read and turned into its command, not yet sent. */
    record ImportLine(String lineId, String kind, String patientId, Instant recordedAt, ImportableFact<?> fact,
                      EnrollmentId enrollment, Object command, String hash) {

        LineOutcome outcome(long number, LineOutcome.Status status, ProblemDetail problem) {
            return new LineOutcome(number, lineId, kind, patientId, status, problem == null ? null
                    : LineOutcome.problem(problem));
        }

        LineOutcome refused(long number, ProblemDetail problem) {
            return outcome(number, LineOutcome.Status.REFUSED, problem);
        }
    }

    /** A line refused before it was sent, with what of it could be read. */
    private static final class LineRefused extends RuntimeException {

        private final String lineId;
        private final String kind;
        private final String patientId;

        LineRefused(String lineId, String kind, String patientId, RuntimeException cause) {
            super(null, cause, false, false);
            this.lineId = lineId;
            this.kind = kind;
            this.patientId = patientId;
        }
    }
}
