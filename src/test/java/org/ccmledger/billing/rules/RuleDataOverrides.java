package org.ccmledger.billing.rules;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.function.Consumer;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;

/** Writes a practice's override file: the shipped data of a year, edited, under a version of its own. */
final class RuleDataOverrides {

    private static final ObjectMapper JSON = new ObjectMapper();

    private RuleDataOverrides() {
    }

    static ObjectNode shipped(int year) {
        String resource = "/billing/" + RuleDataRepository.fileName(year);
        try (InputStream in = RuleDataOverrides.class.getResourceAsStream(resource)) {
            return (ObjectNode) JSON.readTree(in);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    static Path write(Path directory, int year, Consumer<ObjectNode> edit) {
        ObjectNode data = shipped(year);
        data.put("version", "ccm-rules-" + year + ".1+practice-7");
        edit.accept(data);
        return writeRaw(directory, year, data.toPrettyString());
    }

    static Path writeRaw(Path directory, int year, String content) {
        try {
            return Files.writeString(directory.resolve(RuleDataRepository.fileName(year)), content);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    static ObjectNode fee(ObjectNode data, String code) {
        return (ObjectNode) data.get("fees").get(code);
    }

    /** A fee's non-facility rate. */
    static ObjectNode nonFacility(ObjectNode data, String code) {
        return (ObjectNode) fee(data, code).get("nonFacility");
    }

    /** A rate's stated amounts: one for the whole year. */
    static com.fasterxml.jackson.databind.node.ArrayNode amounts(String amount) {
        com.fasterxml.jackson.databind.node.ArrayNode list = JSON.createArrayNode();
        list.addObject().put("amount", new java.math.BigDecimal(amount));
        return list;
    }

    static ObjectNode family(ObjectNode data, String baseCode) {
        for (var family : data.get("families")) {
            if (family.get("baseCode").asText().equals(baseCode)) {
                return (ObjectNode) family;
            }
        }
        throw new IllegalArgumentException(baseCode);
    }
}
