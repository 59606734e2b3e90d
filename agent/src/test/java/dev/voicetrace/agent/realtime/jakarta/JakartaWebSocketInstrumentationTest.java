package dev.voicetrace.agent.realtime.jakarta;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.voicetrace.agent.config.AgentConfig;
import dev.voicetrace.agent.config.ConfigSource;
import dev.voicetrace.agent.instrument.weave.TypeShape;
import java.lang.reflect.Modifier;
import java.net.URI;
import java.util.HashMap;
import java.util.List;
import java.util.Properties;
import org.junit.jupiter.api.Test;

/**
 * Which types the Jakarta WebSocket instrumentation considers, described without the API on the
 * class path (as the agent sees an application's classes: by name, never loaded by the agent).
 */
class JakartaWebSocketInstrumentationTest {

    private final JakartaWebSocketInstrumentation module = new JakartaWebSocketInstrumentation(JakartaWebSockets.KEY);

    private static final String OBJECT = "java.lang.Object";

    private static String api(String name) {
        return "jakarta.websocket." + name;
    }

    private static TypeShape type(String name, String superClass, String... interfaces) {
        return TypeShape.of(name, Modifier.PUBLIC, superClass, interfaces);
    }

    private boolean considered(TypeShape type) {
        return module.typeNameFilter().matches(type) && module.typeMatcher().matches(type);
    }

    @Test
    void applicationEndpointsAndHandlersAreMatchedByTheApiTypesTheyName() {
        assertTrue(considered(type("com.example.Transcripts", api("Endpoint"))));
        assertTrue(considered(type("com.example.Transcripts$1", OBJECT, api("MessageHandler$Whole"))));
        assertTrue(considered(type("com.example.Chunks", OBJECT, api("MessageHandler$Partial"))));
        assertFalse(considered(type("com.example.Worker", OBJECT, Runnable.class.getName())));
        // a base class of the application's own between: not walked outside implementations' packages
        assertFalse(considered(type("com.example.Speech", "com.example.BaseEndpoint")));
    }

    @Test
    void theApisOwnTypesAreLeftAloneButEndpoint() {
        assertTrue(considered(TypeShape.of(api("Endpoint"), Modifier.PUBLIC | Modifier.ABSTRACT, OBJECT)));
        assertFalse(considered(TypeShape.of(api("Session"), Modifier.PUBLIC | Modifier.INTERFACE | Modifier.ABSTRACT,
                OBJECT)));
        assertFalse(considered(type("jakarta.websocket.CloseReason", OBJECT)));
    }

    @Test
    void onlyClassLoadersThatSeeTheApiAreConsidered() {
        assertFalse(module.appliesTo(null));
        // the agent's tests do not have the API
        assertFalse(module.appliesTo(getClass().getClassLoader()));
    }

    @Test
    void connectToServersUriIsItsLastArgument() {
        URI uri = URI.create("wss://api.elevenlabs.io/v1/text-to-speech/v/multi-stream-input");
        assertEquals(uri, JakartaWebSockets.uriOf(new Object[] {new Object(), uri}));
        assertEquals(uri, JakartaWebSockets.uriOf(new Object[] {new Object(), new Object(), uri}));
        assertEquals(null, JakartaWebSockets.uriOf(new Object[] {new Object(), null, "ws://x", true}));
    }

    @Test
    void theSwitchIsAKnownOption() {
        Properties properties = new Properties();
        properties.setProperty("voicetrace.instrumentation.jakartawebsocket.enabled", "false");
        AgentConfig config = new AgentConfig(new ConfigSource(properties, new HashMap<>()));
        assertFalse(config.instrumentationEnabled("jakartawebsocket"));
        assertEquals(List.of(), config.warnings());
    }
}
