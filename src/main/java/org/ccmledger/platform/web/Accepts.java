package org.ccmledger.platform.web;

import java.util.List;
import java.util.function.Function;

import org.springframework.http.InvalidMediaTypeException;
import org.springframework.http.MediaType;
import org.springframework.http.ResponseEntity;
import org.springframework.http.server.reactive.ServerHttpRequest;
import org.springframework.web.server.ServerWebInputException;

import reactor.core.publisher.Mono;
import reactor.core.scheduler.Schedulers;

/**
 * Content negotiation for endpoints that answer JSON unless the client names another format. When the client accepts
 * anything (a wildcard such as {@literal *}/{@literal *}, or no {@code Accept} header), Spring chooses among handler
 * methods with different {@code produces} by comparing the media types' names, and {@code application/fhir+json}
 * would win over {@code application/json}; such endpoints use one handler and ask here instead.
 */
public final class Accepts {

    public static final String FHIR_JSON_VALUE = "application/fhir+json";
    public static final MediaType FHIR_JSON = MediaType.parseMediaType(FHIR_JSON_VALUE);

    private Accepts() {
    }

    /**
     * The found value as JSON, or, when the request names {@code application/fhir+json} ({@link #explicitly}), its
     * FHIR rendering, encoded off the event loop (HAPI's encoder is not cheap).
     */
    public static <T> Mono<ResponseEntity<Object>> jsonOrFhir(ServerHttpRequest request, Mono<T> found,
                                                              Function<T, String> fhir) {
        if (explicitly(request, FHIR_JSON)) {
            return found.publishOn(Schedulers.boundedElastic())
                        .map(value -> ResponseEntity.ok().contentType(FHIR_JSON).body(fhir.apply(value)));
        }
        return found.map(value -> ResponseEntity.ok().contentType(MediaType.APPLICATION_JSON).body(value));
    }

    /**
     * Whether the request names {@code wanted} in its {@code Accept} header (type and subtype, parameters aside) with
     * a quality above 0 and at least that of {@code application/json}. Wildcards and a missing header mean JSON.
     *
     * @throws ServerWebInputException when the {@code Accept} header cannot be parsed (a 400)
     */
    public static boolean explicitly(ServerHttpRequest request, MediaType wanted) {
        List<MediaType> accepted;
        try {
            accepted = request.getHeaders().getAccept();
        } catch (InvalidMediaTypeException e) {
            throw new ServerWebInputException("Header Accept is not a list of media types");
        }
        double wantedQuality = quality(accepted, wanted);
        return wantedQuality > 0 && wantedQuality >= quality(accepted, MediaType.APPLICATION_JSON);
    }

    private static double quality(List<MediaType> accepted, MediaType type) {
        return accepted.stream()
                       .filter(a -> a.getType().equalsIgnoreCase(type.getType())
                                    && a.getSubtype().equalsIgnoreCase(type.getSubtype()))
                       .mapToDouble(MediaType::getQualityValue)
                       .max().orElse(-1);
    }
}
