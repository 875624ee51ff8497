package org.panamaipc.cli;

import com.google.gson.JsonArray;
import com.google.gson.JsonElement;
import com.google.gson.JsonObject;
import com.google.gson.JsonParser;
import org.panamaipc.mq.MessageQueue;
import org.panamaipc.shm.SharedMemory;
import org.panamaipc.testkit.TestNames;

import java.util.ArrayList;
import java.util.List;

/**
 * The objects a CLI test makes, named uniquely and removed when the test ends, whatever happened;
 * and the parsing of what {@code --json} prints.
 */
final class TestObjects implements AutoCloseable {

    private final List<String> names = new ArrayList<>();

    /** {@return a fresh unique name, removed at the end (as shared memory and as a queue)} */
    String name(String label) {
        String name = TestNames.unique(label);
        names.add(name);
        return name;
    }

    /** {@return the glob that matches every name this test JVM makes, without the slash} */
    static String glob() {
        return TestNames.prefix() + "*";
    }

    @Override
    public void close() {
        for (String name : names) {
            SharedMemory.unlinkIfExists(name);
            MessageQueue.unlinkIfExists(name);
        }
    }

    /** {@return the one JSON object {@code text} holds, parsed} */
    static JsonObject json(String text) {
        JsonElement element = JsonParser.parseString(text.strip());
        return element.getAsJsonObject();
    }

    /** {@return each line of {@code text} as a JSON object} */
    static List<JsonObject> jsonLines(String text) {
        return text.lines().filter(line -> !line.isBlank()).map(TestObjects::json).toList();
    }

    /** {@return the object of {@code ls --json}'s list called {@code name}, or null} */
    static JsonObject find(JsonObject ls, String name) {
        JsonArray objects = ls.getAsJsonArray("objects");
        for (JsonElement element : objects) {
            if (element.getAsJsonObject().get("name").getAsString().equals(name)) {
                return element.getAsJsonObject();
            }
        }
        return null;
    }
}
