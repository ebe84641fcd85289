package org.ccmledger.platform.storage;

import java.nio.file.Path;
import java.util.List;
import java.util.Map;

/**
 * A storage command's arguments once parsed: its {@code --name=value} options (taken as they are read, so that one
 * left over is an error), its positional arguments and the process environment.
 */
record CommandArguments(Map<String, String> options, List<String> positional, Map<String, String> environment) {

    /** Takes the option {@code name}: its value, or {@code null} when not given. */
    String take(String name) {
        return options.remove(name);
    }

    /** The data directory: {@code --data-dir}, else {@code CCM_DATA_DIR}, else {@code ./data}. */
    Path dataDir() {
        String dir = take("data-dir");
        if (dir == null || dir.isBlank()) {
            dir = environment.getOrDefault("CCM_DATA_DIR", "./data");
        }
        return Path.of(dir).toAbsolutePath().normalize();
    }

    /** Refuses an option not taken, or more than {@code allowedPositional} positional arguments. */
    void noMore(int allowedPositional) {
        if (!options.isEmpty()) {
            throw new IllegalArgumentException("unknown option --" + options.keySet().iterator().next());
        }
        if (positional.size() > allowedPositional) {
            throw new IllegalArgumentException("unexpected argument " + positional.get(allowedPositional));
        }
    }
}
