package org.ccmledger.platform.storage;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/** One of the jar's commands run in a JVM of its own, as an operator would run it; its output kept in a file. */
record JarCommand(int exitStatus, String output) {

    static JarCommand run(Path log, Map<String, String> environment, String... args) throws Exception {
        String classPath = System.getProperty("surefire.test.class.path", System.getProperty("java.class.path"));
        List<String> command = new ArrayList<>(List.of(
                Path.of(System.getProperty("java.home"), "bin", "java").toString(), "-Xmx384m", "-cp", classPath,
                "org.ccmledger.CcmLedgerApplication"));
        command.addAll(List.of(args));
        ProcessBuilder builder = new ProcessBuilder(command).redirectErrorStream(true)
                                                            .redirectOutput(log.toFile());
        builder.environment().keySet().removeIf(name -> name.startsWith("CCM_"));
        builder.environment().putAll(environment);
        Process process = builder.start();
        if (!process.waitFor(5, TimeUnit.MINUTES)) {
            process.destroyForcibly();
            throw new IOException("the command did not end within 5 minutes: " + List.of(args));
        }
        return new JarCommand(process.exitValue(), Files.readString(log));
    }
}
