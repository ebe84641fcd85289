/** Identifier generation that is safe on the event loop. */
package org.ccmledger.platform.ids;
