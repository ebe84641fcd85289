package org.ccmledger.codeset;

import java.io.IOException;
import java.io.InputStream;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.zip.GZIPInputStream;

import org.ccmledger.codeset.api.Billability;
import org.ccmledger.codeset.api.DiagnosisCodes;
import org.ccmledger.codeset.api.Icd10CodeSetId;
import org.ccmledger.codeset.api.Icd10EditionLoaded;
import org.ccmledger.platform.axon.ReferenceStreams;
import org.ccmledger.platform.threads.DaemonThreads;
import org.springframework.boot.context.event.ApplicationReadyEvent;
import org.springframework.context.event.EventListener;
import org.springframework.stereotype.Component;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.json.JsonMapper;
import com.fasterxml.jackson.datatype.jsr310.JavaTimeModule;

/**
 * The ICD-10-CM editions the service knows: those shipped on the class path ({@code icd10cm/editions.json}, each file
 * checked against its SHA-256 when read) and those loaded since ({@link Icd10EditionLoaded} events in the stream
 * {@code reference:icd10cm}, their codes in {@link StoredCodes}, checked against the event's fingerprint). A date is
 * answered by the edition in force on it; a date outside every edition by the nearest one, saying so.
 */
@Component
public class Icd10CodeSets implements DiagnosisCodes {

    private static final ObjectMapper JSON = JsonMapper.builder().addModule(new JavaTimeModule()).build();

    private final ReferenceStreams streams;
    private final StoredCodes stored;
    private volatile List<Icd10Edition> shipped;
    private final Map<String, Icd10Edition> loaded = new ConcurrentHashMap<>();

    Icd10CodeSets(ReferenceStreams streams, StoredCodes stored) {
        this.streams = streams;
        this.stored = stored;
    }

    /** The editions shipped with the service, without the ledger: for tests and tools that run without a store. */
    public static DiagnosisCodes shippedOnly() {
        return new Icd10CodeSets(null, null);
    }

    /**
     * Reads the shipped editions in the background once the service is up (some 74,000 codes per edition, each file
     * hashed), so that the first enrolment after a start does not wait for them. A failure to read them is left for
     * that enrolment to report, as it would without this.
     */
    @EventListener(ApplicationReadyEvent.class)
    void readShippedInBackground() {
        DaemonThreads.prepareAhead("icd10cm-shipped-read", this::shipped);
    }

    /** Whether the shipped editions have been read (by a caller or in the background). */
    boolean shippedRead() {
        return shipped != null;
    }

    /** The manifest of shipped editions. */
    record Manifest(String note, List<Shipped> editions) {
    }

    record Shipped(String edition, String file, LocalDate effectiveFrom, LocalDate effectiveTo, String fileSha256,
                   int codeCount, String source) {
    }

    @Override
    public Billability billability(String code, LocalDate on) {
        String plain = Icd10Edition.plain(code);
        List<Icd10Edition> editions = editions();
        Icd10Edition edition = editions.stream().filter(e -> e.inForceOn(on)).reduce((a, b) -> b)
                                       .orElseGet(() -> nearest(editions, on));
        boolean inForce = edition.inForceOn(on);
        String dotted = Icd10Edition.dotted(plain);
        if (!Icd10Edition.CODE.matcher(plain).matches()) {
            return new Billability(dotted, on, Billability.Status.UNKNOWN, edition.name(), inForce);
        }
        Billability.Status status;
        if (edition.billable(plain)) {
            status = Billability.Status.BILLABLE;
        } else if (edition.heads(plain)) {
            status = Billability.Status.HEADER;
        } else if (editions.stream().anyMatch(e -> e.effectiveTo().isBefore(edition.effectiveFrom())
                                                   && e.billable(plain))) {
            status = Billability.Status.DELETED;
        } else {
            status = Billability.Status.UNKNOWN;
        }
        return new Billability(dotted, on, status, edition.name(), inForce);
    }

    /**
     * Every edition, shipped and loaded, by first day in force (a later load of the same dates wins): listed once per
     * read of the code set's stream, not for every code checked.
     */
    List<Icd10Edition> editions() {
        if (streams == null) {
            return editions(List.of());
        }
        return streams.derived(Icd10CodeSetId.INSTANCE.toString(), "editions",
                               events -> editions(events.stream().map(ReferenceStreams.Recorded::payload).toList()));
    }

    private List<Icd10Edition> editions(List<Object> recorded) {
        List<Icd10Edition> all = new ArrayList<>(shipped());
        for (Object payload : recorded) {
            if (payload instanceof Icd10EditionLoaded event) {
                all.add(loaded.computeIfAbsent(event.edition() + "|" + event.codesSha256(), k -> stored.edition(event)));
            }
        }
        all.sort(Comparator.comparing(Icd10Edition::effectiveFrom));
        return List.copyOf(all);
    }

    /**
     * For a date no edition is in force on: the latest edition that began before it (the code set as last known), or,
     * for a date before every edition, the earliest (the policy of the code set's README).
     */
    private static Icd10Edition nearest(List<Icd10Edition> editions, LocalDate on) {
        return editions.stream().filter(e -> !e.effectiveFrom().isAfter(on))
                       .max(Comparator.comparing(Icd10Edition::effectiveFrom))
                       .orElse(editions.get(0));
    }

    /** The shipped editions, read once (by the first caller; callers at the same time wait for it). */
    private List<Icd10Edition> shipped() {
        List<Icd10Edition> editions = shipped;
        if (editions == null) {
            synchronized (this) {
                editions = shipped;
                if (editions == null) {
                    editions = readShipped();
                    shipped = editions;
                }
            }
        }
        return editions;
    }

    private static List<Icd10Edition> readShipped() {
        try (InputStream in = Icd10CodeSets.class.getResourceAsStream("/icd10cm/editions.json")) {
            Manifest manifest = JSON.readValue(in, Manifest.class);
            List<Icd10Edition> editions = new ArrayList<>();
            for (Shipped s : manifest.editions()) {
                try (InputStream file = new GZIPInputStream(
                        Icd10CodeSets.class.getResourceAsStream("/icd10cm/" + s.file()))) {
                    Icd10Edition.Read read = Icd10Edition.read(file);
                    if (!read.fileSha256().equals(s.fileSha256()) || read.codes().length != s.codeCount()) {
                        throw new IllegalStateException("icd10cm/" + s.file() + " is not the file " + s.edition()
                                                        + " names (SHA-256 or code count differ)");
                    }
                    editions.add(new Icd10Edition(s.edition(), s.effectiveFrom(), s.effectiveTo(), s.source(),
                                                  read.fileSha256(), read.codesSha256(), read.codes()));
                }
            }
            return List.copyOf(editions);
        } catch (IOException e) {
            throw new IllegalStateException("cannot read the shipped ICD-10-CM editions", e);
        }
    }
}
