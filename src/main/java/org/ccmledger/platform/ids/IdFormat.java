package org.ccmledger.platform.ids;

/**
 * The one format of the ledger's identifiers (practices, patients, time entries, billing locations): 1 to 64 ASCII
 * letters, digits, {@code .}, {@code -} or {@code _}, the regular expression {@code [A-Za-z0-9._-]{1,64}}. Checked
 * character by character: every identifier of every event a read model handles is checked as its payload is read,
 * and a {@link java.util.regex.Matcher} a value was a few per cent of a rebuild's CPU.
 */
public final class IdFormat {

    /** The longest identifier. */
    public static final int MAX_LENGTH = 64;
    /** The same format as a regular expression, for patterns that find identifiers inside paths. */
    public static final String REGEX = "[A-Za-z0-9._-]{1," + MAX_LENGTH + "}";
    /**
     * The same format as an HTML form field's {@code pattern}: browsers compile it with the {@code v} flag, under which
     * a {@code -} in a class must be escaped (unescaped, the pattern is invalid and the browser ignores it).
     */
    public static final String HTML_PATTERN = "[A-Za-z0-9._\\-]{1," + MAX_LENGTH + "}";

    private IdFormat() {
    }

    /** Whether {@code value} is an identifier: {@code [A-Za-z0-9._-]{1,64}}. */
    public static boolean isId(String value) {
        return matches(value, false);
    }

    /** The same with {@code @} also allowed (staff ids may be e-mail addresses): {@code [A-Za-z0-9._@-]{1,64}}. */
    public static boolean isStaffId(String value) {
        return matches(value, true);
    }

    private static boolean matches(String value, boolean at) {
        if (value == null || value.isEmpty() || value.length() > MAX_LENGTH) {
            return false;
        }
        for (int i = 0; i < value.length(); i++) {
            char c = value.charAt(i);
            boolean allowed = (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9')
                              || c == '.' || c == '-' || c == '_' || (at && c == '@');
            if (!allowed) {
                return false;
            }
        }
        return true;
    }
}
