package org.ccmledger.platform.web;

import java.util.List;

import org.springframework.http.InvalidMediaTypeException;
import org.springframework.http.MediaType;
import org.springframework.http.server.reactive.ServerHttpRequest;
import org.springframework.web.server.ServerWebInputException;

/**
 * Content negotiation for endpoints that answer JSON unless the client names another format. When the client accepts
 * anything (a wildcard such as {@literal *}/{@literal *}, or no {@code Accept} header), Spring chooses among handler
 * methods with different {@code produces} by comparing the media types' names, and {@code application/fhir+json}
 * would win over {@code application/json}; such endpoints use one handler and ask here instead.
 */
public final class Accepts {

    private Accepts() {
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
