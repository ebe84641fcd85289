/**
 * What a feature provides to the onboarding import: {@link org.ccmledger.onboarding.api.ImportableFact}, one kind of
 * historical fact and the command it becomes.
 */
package org.ccmledger.onboarding.api;
