package org.ccmledger.onboarding;

import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

import org.axonframework.commandhandling.GenericCommandMessage;
import org.axonframework.commandhandling.gateway.CommandGateway;
import org.axonframework.common.caching.Cache;
import org.axonframework.eventsourcing.eventstore.EventStore;
import org.axonframework.messaging.GenericMessage;
import org.axonframework.messaging.MetaData;
import org.axonframework.messaging.unitofwork.DefaultUnitOfWork;
import org.ccmledger.ledger.HeadCheckedAggregateCache;
import org.ccmledger.onboarding.ImportLines.Known;
import org.ccmledger.onboarding.ImportLines.State;
import org.ccmledger.platform.axon.Provenance;
import org.ccmledger.platform.problem.Refusal;
import org.ccmledger.platform.web.Problems;
import org.springframework.beans.factory.annotation.Qualifier;
import org.springframework.http.ProblemDetail;
import org.springframework.stereotype.Component;

/**
 * Runs an onboarding import: each NDJSON line becomes the command its fact's feature says, sent as the API sends it
 * (so the aggregates judge it by the same rules) with the importing user as actor and the import's provenance as
 * metadata. Lines of one patient run in file order; patients are spread over {@link #LANES} lanes that run side by
 * side. Lines are read by {@link ImportLineReader}. A line is either written whole (one command, one commit) or refused with the problem and rule, and a line id
 * already written is answered as a duplicate without writing anything ({@link ImportLines}).
 */
@Component
class HistoryImport {

    /** Patients handled side by side: each lane sends one command at a time. */
    static final int LANES = 8;

    private final ImportLineReader reader;
    private final CommandGateway commands;
    private final EventStore events;
    private final ImportLines lines;
    /** The enrolment aggregates kept between commands, when they are ({@code enrollmentCache}). */
    private final HeadCheckedAggregateCache kept;
    private final Clock clock = Clock.systemUTC();

    HistoryImport(ImportLineReader reader, CommandGateway commands, EventStore events, ImportLines lines,
                  @Qualifier("enrollmentCache") Cache enrollmentCache) {
        this.reader = reader;
        this.commands = commands;
        this.events = events;
        this.lines = lines;
        this.kept = enrollmentCache instanceof HeadCheckedAggregateCache headChecked ? headChecked : null;
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

        /** Reads a line (no I/O): see {@link ImportLineReader#read}. */
        ImportLineReader.Read read(long number, String raw) {
            return reader.read(practiceId, number, raw);
        }

        /**
         * Writes a lane's batch of lines in file order (blocking: the command bus and the database): each line not
         * written before becomes its command, all of the batch's commands in one unit of work, so their events go to
         * the ledger in one commit (each command still judged alone: a refused one adds nothing). Should that commit
         * fail, the batch's lines are written one by one instead.
         */
        List<LineOutcome> send(List<ImportLineReader.Read> batch) {
            keepLease();
            LineOutcome[] outcomes = new LineOutcome[batch.size()];
            Map<String, Known> known = lines.known(practiceId, batch.stream().map(ImportLineReader.Read::line)
                                                                   .filter(java.util.Objects::nonNull)
                                                                   .map(ImportLineReader.ImportLine::lineId).toList());
            Set<String> inBatch = new java.util.HashSet<>();
            List<Integer> toClaim = new ArrayList<>();
            List<Integer> toSend = new ArrayList<>();
            List<ImportLineReader.ImportLine> settled = new ArrayList<>();
            for (int i = 0; i < outcomes.length; i++) {
                ImportLineReader.Read read = batch.get(i);
                ImportLineReader.ImportLine line = read.line();
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
            List<ImportLineReader.Read> sending = toSend.stream().map(batch::get).toList();
            List<LineOutcome> sent;
            try {
                sent = sendTogether(sending);
            } catch (RuntimeException commitFailed) {
                sent = new ArrayList<>();
                for (ImportLineReader.Read read : sending) {
                    sent.addAll(sendTogether(List.of(read)));
                }
            }
            for (int k = 0; k < toSend.size(); k++) {
                outcomes[toSend.get(k)] = sent.get(k);
            }
            return List.of(outcomes);
        }

        /** The lines' commands in one unit of work; their outcomes once it committed. Throws if the commit fails. */
        private List<LineOutcome> sendTogether(List<ImportLineReader.Read> sending) {
            if (sending.isEmpty()) {
                return List.of();
            }
            LineOutcome[] sent = new LineOutcome[sending.size()];
            List<ImportLineReader.ImportLine> accepted = new ArrayList<>();
            List<String> free = new ArrayList<>();
            // a patient's lines one after the other, in file order: the unit of work loads their aggregate once
            Map<String, List<Integer>> byPatient = new java.util.LinkedHashMap<>();
            for (int i = 0; i < sending.size(); i++) {
                byPatient.computeIfAbsent(sending.get(i).line().patientId(), p -> new ArrayList<>()).add(i);
            }
            // the batch's streams checked all at once, not one by one as each is loaded: kept enrolments where they
            // were left, streams not begun yet (a new patient's enrolment, a first care plan) as empty
            List<String> streams = sending.stream().map(read -> read.line().fact().stream(read.line().enrollment()))
                                          .distinct().toList();
            DefaultUnitOfWork<?> unit = DefaultUnitOfWork.startAndGet(new GenericMessage<>(importId));
            try (HeadCheckedAggregateCache.CheckedAhead ahead = checkAhead(streams)) {
                for (int slot : byPatient.values().stream().flatMap(List::stream).toList()) {
                    ImportLineReader.Read read = sending.get(slot);
                    ImportLineReader.ImportLine line = read.line();
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
                        ProblemDetail problem = Problems.of(failure);
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

        private HeadCheckedAggregateCache.CheckedAhead checkAhead(List<String> streams) {
            return kept == null ? () -> { } : kept.checkAhead(streams);
        }

        private boolean enrolledIn(List<ImportLineReader.ImportLine> accepted, ImportLineReader.ImportLine line) {
            return accepted.stream().anyMatch(earlier -> !earlier.fact().needsEnrollment()
                    && earlier.patientId().equals(line.patientId()));
        }

        private LineOutcome reused(ImportLineReader.Read read, String why) {
            return read.line().refused(read.number(), Problems.of(Refusal.conflict(
                    "LINE_ID_REUSED", "line id " + read.line().lineId() + " " + why)));
        }

        private void noteEnrolled(ImportLineReader.ImportLine line) {
            if (!line.fact().needsEnrollment()) {
                enrolled.add(line.patientId());
            }
        }

        /** Whether the line's stream holds an event of this line (every event of it, by the stream's key). */
        private boolean inLedger(ImportLineReader.ImportLine line) {
            // from the first event, not from a snapshot, which would stand for the line's event
            var stream = events.readEvents(line.fact().stream(line.enrollment()), 0);
            while (stream.hasNext()) {
                if (line.lineId().equals(stream.next().getMetaData().get(Provenance.IMPORT_LINE))) {
                    return true;
                }
            }
            return false;
        }
    }
}
