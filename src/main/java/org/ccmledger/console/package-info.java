/**
 * The compliance console at {@code /console}: server-rendered pages (Thymeleaf) for billing, compliance, care staff
 * and auditors, on the same services and read models as the API, reached through the features' {@code api}
 * packages. Its security (session, CSRF, roles per page) is {@code platform.security.ConsoleSecurityConfiguration}.
 */
package org.ccmledger.console;
