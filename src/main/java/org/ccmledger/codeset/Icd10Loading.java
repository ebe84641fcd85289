package org.ccmledger.codeset;

import java.io.IOException;
import java.io.InputStream;
import java.time.LocalDate;
import java.util.List;

import org.ccmledger.codeset.api.Icd10CodeSetId;
import org.ccmledger.codeset.api.LoadIcd10Edition;
import org.ccmledger.platform.axon.ReferenceStreams;
import org.ccmledger.platform.problem.Refusal;
import org.ccmledger.platform.web.Uploads;
import org.springframework.stereotype.Component;

/**
 * Prepares the load of an ICD-10-CM edition from an uploaded code file: reads and checks it (a bad line is refused
 * naming the line, and nothing is stored), refuses an edition name already known, stores the codes beside the ledger
 * and returns the command that records the edition. Blocking: called off the event loop.
 */
@Component
class Icd10Loading {

    private final Icd10CodeSets codeSets;
    private final StoredCodes stored;
    private final ReferenceStreams streams;

    Icd10Loading(Icd10CodeSets codeSets, StoredCodes stored, ReferenceStreams streams) {
        this.codeSets = codeSets;
        this.stored = stored;
        this.streams = streams;
    }

    /** What an operator says of the file. */
    record Edition(String name, LocalDate effectiveFrom, LocalDate effectiveTo, String source) {

        /** A fiscal-year edition FYyyyy runs from 1 October of the year before to 30 September. */
        static Edition of(String name, LocalDate from, LocalDate to, String source) {
            if (name == null || !Icd10Edition.NAME.matcher(name).matches()) {
                throw Refusal.malformed("INVALID_PARAMETER", "edition must look like FY2027 (optionally with a "
                                                            + "suffix such as FY2027-April)");
            }
            int year = Integer.parseInt(name.substring(2, 6));
            LocalDate start = from != null ? from : LocalDate.of(year - 1, 10, 1);
            LocalDate end = to != null ? to : LocalDate.of(year, 9, 30);
            if (end.isBefore(start)) {
                throw Refusal.malformed("INVALID_PARAMETER", "effectiveTo is before effectiveFrom");
            }
            if (source != null && source.length() > 500) {
                throw Refusal.malformed("INVALID_PARAMETER", "source must be at most 500 characters");
            }
            return new Edition(name, start, end, source == null || source.isBlank() ? "uploaded file" : source);
        }
    }

    LoadIcd10Edition prepare(byte[] upload, Edition edition) {
        List<Icd10Edition> known = codeSets.editions();
        if (known.stream().anyMatch(e -> e.name().equals(edition.name()))) {
            throw Refusal.conflict("EDITION_LOADED", "ICD-10-CM " + edition.name() + " is loaded already");
        }
        Icd10Edition.Read read;
        try (InputStream content = Uploads.content(upload)) {
            read = Icd10Edition.read(content);
        } catch (Icd10Edition.BadLine e) {
            throw Refusal.rule("CODE_FILE_INVALID", "R7", e.getMessage()).with("line", e.line).with("field", "code");
        } catch (IllegalArgumentException e) {
            throw Refusal.rule("CODE_FILE_INVALID", "R7", e.getMessage());
        } catch (IOException e) {
            throw Refusal.rule("CODE_FILE_INVALID", "R7", "the file cannot be read: neither text nor gzip");
        }
        stored.store(read);
        return new LoadIcd10Edition(Icd10CodeSetId.INSTANCE, edition.name(), edition.effectiveFrom(),
                                    edition.effectiveTo(), read.fileSha256(), read.codesSha256(), read.codes().length,
                                    edition.source());
    }

    /** After the edition was recorded: read the stream afresh. */
    void loaded() {
        streams.forget(Icd10CodeSetId.INSTANCE.toString());
    }
}
