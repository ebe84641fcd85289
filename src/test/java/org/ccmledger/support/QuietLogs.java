package org.ccmledger.support;

import org.junit.jupiter.api.extension.AfterAllCallback;
import org.junit.jupiter.api.extension.BeforeAllCallback;
import org.junit.jupiter.api.extension.ExtensionContext;
import org.slf4j.LoggerFactory;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;

/**
 * For test classes that append many events without Spring Boot: logback's default configuration logs at DEBUG, which
 * would swamp the output and the timings. Sets the root logger to WARN for the class and restores it afterwards.
 */
public final class QuietLogs implements BeforeAllCallback, AfterAllCallback {

    private static final ExtensionContext.Namespace NAMESPACE = ExtensionContext.Namespace.create(QuietLogs.class);

    @Override
    public void beforeAll(ExtensionContext context) {
        if (LoggerFactory.getLogger(org.slf4j.Logger.ROOT_LOGGER_NAME) instanceof Logger root) {
            context.getStore(NAMESPACE).put("level", root.getLevel());
            root.setLevel(Level.WARN);
        }
    }

    @Override
    public void afterAll(ExtensionContext context) {
        if (LoggerFactory.getLogger(org.slf4j.Logger.ROOT_LOGGER_NAME) instanceof Logger root) {
            root.setLevel(context.getStore(NAMESPACE).get("level", Level.class));
        }
    }
}
