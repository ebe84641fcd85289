package org.ccmledger.ledger;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

import org.bson.Document;
import org.bson.json.JsonMode;
import org.bson.json.JsonWriterSettings;

import com.mongodb.client.MongoCollection;
import com.mongodb.client.model.Sorts;

/** What an auditor works with outside the service: an Extended JSON export of the events, and their own tools. */
public final class AuditorTools {

    private AuditorTools() {
    }

    /** The events collection as {@code mongoexport --jsonArray --jsonFormat=canonical} writes it, in a new file. */
    public static Path exportEvents(MongoCollection<Document> events, Path dir) throws IOException {
        JsonWriterSettings canonical = JsonWriterSettings.builder().outputMode(JsonMode.EXTENDED).build();
        List<String> documents = new ArrayList<>();
        for (Document event : events.find().sort(Sorts.ascending("_id"))) {
            documents.add(event.toJson(canonical));
        }
        Path file = dir.resolve("events-" + System.nanoTime() + ".json");
        Files.writeString(file, "[" + String.join(",\n", documents) + "]", StandardCharsets.UTF_8);
        return file;
    }

    /** Runs a command and answers what it printed (standard output and error), trimmed. */
    public static String run(String... command) throws IOException, InterruptedException {
        Process process = new ProcessBuilder(command).redirectErrorStream(true).start();
        String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8).trim();
        process.waitFor(60, TimeUnit.SECONDS);
        return output;
    }

    /** Whether a command can be run here, e.g. {@code available("python3", "--version")}. */
    public static boolean available(String... command) {
        try {
            return new ProcessBuilder(command).start().waitFor(10, TimeUnit.SECONDS);
        } catch (IOException | InterruptedException e) {
            return false;
        }
    }
}
