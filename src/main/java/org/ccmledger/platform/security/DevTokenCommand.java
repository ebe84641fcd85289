package org.ccmledger.platform.security;

import java.io.PrintStream;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * {@code mint-token --user=nurse-1 --role=care-staff --practice=p1}: prints a token of the local development issuer,
 * signed with the key in the data directory ({@code --data-dir}, else {@code CCM_DATA_DIR}, else {@code ./data}).
 * Roles and practices take comma-separated lists; {@code --hours} sets the lifetime (8 by default, at most 24).
 * Whoever can read the key file can mint any token: the command is for a developer's own machine.
 */
public final class DevTokenCommand {

    public static final String NAME = "mint-token";
    private static final String USAGE = "usage: mint-token --user=<id> --role=<role>[,<role>] "
            + "--practice=<id>[,<id>] [--hours=<1-24>] [--data-dir=<dir>]\nroles: care-staff, billing-practitioner, "
            + "billing, compliance-officer, auditor, admin";

    private DevTokenCommand() {
    }

    /** Runs the command; returns the process exit code (0 printed a token, 2 bad arguments). */
    public static int run(List<String> args, Map<String, String> environment, PrintStream out, PrintStream err) {
        Map<String, String> options = new LinkedHashMap<>();
        for (String arg : args) {
            int eq = arg.indexOf('=');
            if (!arg.startsWith("--") || eq < 3) {
                err.println("unknown argument " + arg + "\n" + USAGE);
                return 2;
            }
            options.put(arg.substring(2, eq), arg.substring(eq + 1));
        }
        try {
            String user = required(options, "user");
            if (!Caller.USER.matcher(user).matches()) {
                throw new IllegalArgumentException("--user must be 1-128 letters, digits or ._@:|-");
            }
            Set<Role> roles = EnumSet.noneOf(Role.class);
            for (String value : list(required(options, "role"))) {
                roles.add(Role.fromClaimValue(value).orElseThrow(
                        () -> new IllegalArgumentException("unknown role " + value)));
            }
            List<String> practices = list(required(options, "practice"));
            int hours = Integer.parseInt(options.getOrDefault("hours", "8"));
            if (hours < 1 || hours > 24) {
                throw new IllegalArgumentException("--hours must be 1-24");
            }
            String dataDir = options.getOrDefault("data-dir", environment.getOrDefault("CCM_DATA_DIR", "./data"));
            options.keySet().removeAll(List.of("user", "role", "practice", "hours", "data-dir"));
            if (!options.isEmpty()) {
                throw new IllegalArgumentException("unknown option --" + options.keySet().iterator().next());
            }
            out.println(DevIssuer.inDirectory(Path.of(dataDir))
                                 .mint(user, roles, practices, Duration.ofHours(hours)));
            return 0;
        } catch (IllegalArgumentException e) {
            err.println(e.getMessage() + "\n" + USAGE);
            return 2;
        }
    }

    private static String required(Map<String, String> options, String name) {
        String value = options.get(name);
        if (value == null || value.isBlank()) {
            throw new IllegalArgumentException("--" + name + " is required");
        }
        return value;
    }

    private static List<String> list(String value) {
        List<String> items = new ArrayList<>();
        for (String item : value.split(",")) {
            if (!item.isBlank()) {
                items.add(item.trim());
            }
        }
        return items;
    }
}
