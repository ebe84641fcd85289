package org.ccmledger.billing.export;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

class FhirClaimsFeedTest {

    @Test
    @DisplayName("what is encoded at start-up to read HAPI's model is a whole bundle: a claim with its coverage")
    void theMadeUpClaimEncodesWhole() throws Exception {
        // a failure here would be swallowed at start-up, and the first export would pay for HAPI's model again
        JsonNode bundle = new ObjectMapper().readTree(FhirClaimsFeed.readModel());

        assertThat(bundle.path("resourceType").asText()).isEqualTo("Bundle");
        JsonNode claim = bundle.path("entry").path(0).path("resource");
        assertThat(claim.path("resourceType").asText()).isEqualTo("Claim");
        assertThat(claim.path("contained").findValuesAsText("resourceType")).contains("Coverage");
    }
}
