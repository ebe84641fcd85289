package org.ccmledger.billing.rules;

import java.io.IOException;
import java.io.InputStream;
import java.util.Map;
import java.util.regex.Pattern;

import org.ccmledger.billing.api.FeeSetting;

import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.json.JsonMapper;

/**
 * Which places of service are paid at the facility rate (R13, R15), read from {@code billing/place-of-service.json}
 * with its source: a code in its list is {@link FeeSetting#FACILITY}, every other valid code (two digits, 01–99) is
 * {@link FeeSetting#NON_FACILITY}.
 *
 * @param version  the list's version, recorded where it decided a setting
 * @param facility the facility codes, each with CMS's name
 */
public record PlacesOfService(String version, String source, String label, String note,
                              Map<String, String> facility) {

    private static final Pattern CODE = Pattern.compile("(0[1-9]|[1-9][0-9])");
    private static final ObjectMapper JSON = JsonMapper.builder()
                                                       .enable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES)
                                                       .build();

    public PlacesOfService {
        Provenance.requireLabel(label, "place-of-service list");
        facility = Map.copyOf(facility);
        facility.keySet().forEach(code -> {
            if (!isCode(code)) {
                throw new IllegalArgumentException("not a place-of-service code: " + code);
            }
        });
    }

    /** The list shipped on the class path. */
    public static PlacesOfService shipped() {
        try (InputStream in = PlacesOfService.class.getResourceAsStream("/billing/place-of-service.json")) {
            return JSON.readValue(in, PlacesOfService.class);
        } catch (IOException e) {
            throw new IllegalStateException("cannot read billing/place-of-service.json", e);
        }
    }

    /** Whether {@code code} is a place-of-service code: two digits, 01–99. */
    public static boolean isCode(String code) {
        return code != null && CODE.matcher(code).matches();
    }

    /** The rate a place of service is paid at. */
    public FeeSetting setting(String placeOfService) {
        if (!isCode(placeOfService)) {
            throw new IllegalArgumentException("not a place-of-service code: " + placeOfService);
        }
        return facility.containsKey(placeOfService) ? FeeSetting.FACILITY : FeeSetting.NON_FACILITY;
    }
}
