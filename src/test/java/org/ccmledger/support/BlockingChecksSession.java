package org.ccmledger.support;

import org.junit.platform.launcher.LauncherSession;
import org.junit.platform.launcher.LauncherSessionListener;

/**
 * Installs {@link BlockingChecks} when the JUnit Platform opens its session, before any engine runs a test (registered
 * in {@code META-INF/services}): whatever order the test classes run in, no thread a test starts predates it.
 */
public final class BlockingChecksSession implements LauncherSessionListener {

    @Override
    public void launcherSessionOpened(LauncherSession session) {
        BlockingChecks.install();
    }
}
