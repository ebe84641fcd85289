package org.ccmledger.platform.security;

import io.swagger.v3.oas.models.Components;
import io.swagger.v3.oas.models.OpenAPI;
import io.swagger.v3.oas.models.info.Info;
import io.swagger.v3.oas.models.security.SecurityRequirement;
import io.swagger.v3.oas.models.security.SecurityScheme;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/** The API description says every operation needs a JWT bearer token, so Swagger UI offers to send one. */
@Configuration
class OpenApiSecurity {

    static final String SCHEME = "bearer";

    @Bean
    OpenAPI ccmLedgerOpenApi() {
        return new OpenAPI()
                .info(new Info().title("ccm-ledger").description("Event-sourced audit ledger for Medicare CCM. "
                        + "Roles and the endpoint x role matrix: docs/security.md"))
                .components(new Components().addSecuritySchemes(SCHEME, new SecurityScheme()
                        .type(SecurityScheme.Type.HTTP).scheme("bearer").bearerFormat("JWT")))
                .addSecurityItem(new SecurityRequirement().addList(SCHEME));
    }
}
