package org.ccmledger.codeset;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.security.DigestInputStream;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.List;
import java.util.Objects;
import java.util.regex.Pattern;

/**
 * One ICD-10-CM edition: its name, the dates it is in force, and its billable codes (sorted, without dots), read from
 * the CDC/NCHS order file "icd10cm-codes-&lt;year&gt;.txt": one code per line, left-aligned and space-padded to 8
 * characters, then its description (which is not kept). Headers and categories are not in that file.
 */
record Icd10Edition(String name, LocalDate effectiveFrom, LocalDate effectiveTo, String source, String fileSha256,
                    String codesSha256, String[] codes) {

    /** A code without its dot: 3 to 7 letters and digits, a letter first. */
    static final Pattern CODE = Pattern.compile("[A-Z][0-9A-Z]{2,6}");
    static final Pattern NAME = Pattern.compile("FY20[0-9]{2}[A-Za-z0-9.-]{0,16}");

    Icd10Edition {
        Objects.requireNonNull(name, "edition");
        Objects.requireNonNull(effectiveFrom, "effectiveFrom");
        Objects.requireNonNull(effectiveTo, "effectiveTo");
        if (effectiveTo.isBefore(effectiveFrom)) {
            throw new IllegalArgumentException("an edition ends after it starts");
        }
    }

    /** What a file holds: its codes, sorted, and the two fingerprints. */
    record Read(String[] codes, String fileSha256, String codesSha256) {
    }

    /** A problem with one line of a code file. */
    static final class BadLine extends IllegalArgumentException {
        final int line;

        BadLine(int line, String message) {
            super("line " + line + ": " + message);
            this.line = line;
        }
    }

    /** Reads a code file (uncompressed), refusing a line that holds no code, a duplicate, or an empty file. */
    static Read read(InputStream text) throws IOException {
        MessageDigest file = sha256();
        List<String> codes = new ArrayList<>(80_000);
        try (BufferedReader reader = new BufferedReader(new InputStreamReader(new DigestInputStream(text, file),
                                                                                StandardCharsets.UTF_8))) {
            String line;
            int number = 0;
            while ((line = reader.readLine()) != null) {
                number++;
                if (line.isBlank()) {
                    continue;
                }
                String code = (line.length() > 8 ? line.substring(0, 8) : line).strip();
                if (!CODE.matcher(code).matches()) {
                    throw new BadLine(number, "not an ICD-10-CM code without its dot in the first 8 characters");
                }
                codes.add(code);
            }
        }
        String[] sorted = codes.toArray(String[]::new);
        Arrays.sort(sorted);
        for (int i = 1; i < sorted.length; i++) {
            if (sorted[i].equals(sorted[i - 1])) {
                throw new IllegalArgumentException("the file lists " + sorted[i] + " twice");
            }
        }
        if (sorted.length == 0) {
            throw new IllegalArgumentException("the file holds no codes");
        }
        return new Read(sorted, HexFormat.of().formatHex(file.digest()), codesSha256(sorted));
    }

    /** SHA-256 of the codes, sorted, each followed by a line feed: what the stored codes are checked against. */
    static String codesSha256(String[] sorted) {
        MessageDigest sha = sha256();
        for (String code : sorted) {
            sha.update(code.getBytes(StandardCharsets.US_ASCII));
            sha.update((byte) '\n');
        }
        return HexFormat.of().formatHex(sha.digest());
    }

    boolean inForceOn(LocalDate date) {
        return !date.isBefore(effectiveFrom) && !date.isAfter(effectiveTo);
    }

    boolean billable(String code) {
        return Arrays.binarySearch(codes, code) >= 0;
    }

    /** Whether a longer billable code begins with {@code code}: a header or category. */
    boolean heads(String code) {
        int at = Arrays.binarySearch(codes, code);
        int next = at >= 0 ? at + 1 : -at - 1;
        return next < codes.length && codes[next].startsWith(code) && codes[next].length() > code.length();
    }

    /** The code without its dot, upper case. */
    static String plain(String code) {
        return code.strip().toUpperCase(java.util.Locale.ROOT).replace(".", "");
    }

    /** The code with its dot after the third character, as it is written. */
    static String dotted(String plain) {
        return plain.length() > 3 ? plain.substring(0, 3) + "." + plain.substring(3) : plain;
    }

    static MessageDigest sha256() {
        try {
            return MessageDigest.getInstance("SHA-256");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
