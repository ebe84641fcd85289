package org.ccmledger.support;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;

/** Reference files as CMS publishes them, for import tests. */
public final class CmsFiles {

    private CmsFiles() {
    }

    /**
     * The 2026 rows of ccm-rules.md section 4 in the layout of the CMS relative value file (PPRRVU CSV), from
     * {@code src/test/resources/cms/PPRRVU2026_ccm-rules.csv}.
     */
    public static String relativeValueFile() {
        try (InputStream in = CmsFiles.class.getResourceAsStream("/cms/PPRRVU2026_ccm-rules.csv")) {
            return new String(in.readAllBytes(), StandardCharsets.ISO_8859_1);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
