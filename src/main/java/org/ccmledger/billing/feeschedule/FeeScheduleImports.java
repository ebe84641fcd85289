package org.ccmledger.billing.feeschedule;

import java.io.IOException;
import java.io.InputStream;
import java.math.BigDecimal;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;

import org.ccmledger.billing.api.FeeScheduleId;
import org.ccmledger.billing.api.ImportFeeSchedule;
import org.ccmledger.billing.rules.FeeScheduleImport;
import org.ccmledger.billing.rules.RuleData;
import org.ccmledger.billing.rules.RuleDataRepository;
import org.ccmledger.platform.problem.Refusal;
import org.ccmledger.platform.web.Uploads;
import org.springframework.stereotype.Component;

/**
 * Prepares the import of a CMS relative value file for a year: reads and checks it against the year's rule data (or
 * the latest earlier year's), numbers the new version, and returns the command that records it. Nothing is written
 * until that command is; a refused file changes nothing. Blocking: called off the event loop.
 */
@Component
class FeeScheduleImports {

    private final FeeScheduleCatalog catalog;

    FeeScheduleImports(FeeScheduleCatalog catalog) {
        this.catalog = catalog;
    }

    /** The command, and what to tell the operator. */
    record Prepared(ImportFeeSchedule command, int codes, BigDecimal conversionFactor, BigDecimal qpConversionFactor,
                    String base) {
    }

    Prepared prepare(int year, byte[] upload, BigDecimal cf, BigDecimal qpCf, String source) {
        RuleData base;
        try {
            base = catalog.baseFor(year);
        } catch (IllegalArgumentException e) {
            throw Refusal.rule("NO_RULE_DATA", "R15", e.getMessage());
        }
        int number = catalog.events(year).size() + 1;
        String version = "pfs-" + year + "." + number;
        String named = source == null || source.isBlank() ? "CMS relative value file" : source;
        byte[] file;
        try (InputStream content = Uploads.content(upload)) {
            file = content.readAllBytes();
        } catch (IOException e) {
            throw Refusal.rule("FEE_FILE_INVALID", "R15", "the file cannot be read: neither text nor gzip");
        }
        String fileSha256 = HexFormat.of().formatHex(sha256().digest(file));
        FeeScheduleImport.Result result;
        try {
            result = FeeScheduleImport.of(new java.io.ByteArrayInputStream(file), base, version,
                                          new FeeScheduleImport.Request(year, cf, qpCf, named, fileSha256));
        } catch (IOException e) {
            throw Refusal.rule("FEE_FILE_INVALID", "R15", "the file cannot be read");
        }
        String json = RuleDataRepository.toJson(result.data());
        RuleData recorded = RuleDataRepository.fromJson(json, "import " + version);
        return new Prepared(new ImportFeeSchedule(new FeeScheduleId(year), number, recorded.version(), json, fileSha256,
                                                  named),
                            result.codes(), result.conversionFactor(), qpCf, base.version());
    }

    void imported(FeeScheduleId id) {
        catalog.imported(id);
    }

    private static MessageDigest sha256() {
        try {
            return MessageDigest.getInstance("SHA-256");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
