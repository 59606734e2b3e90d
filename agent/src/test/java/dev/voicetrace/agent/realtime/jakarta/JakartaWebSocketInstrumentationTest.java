package dev.voicetrace.agent.realtime.jakarta;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.voicetrace.agent.config.AgentConfig;
import dev.voicetrace.agent.config.ConfigSource;
import java.lang.reflect.Modifier;
import java.net.URI;
import java.util.HashMap;
import java.util.List;
import java.util.Properties;
import net.bytebuddy.description.type.TypeDescription;
import org.junit.jupiter.api.Test;

/**
 * Which types the Jakarta WebSocket instrumentation considers, described without the API on the
 * class path (as the agent sees an application's classes: by name, never loaded by the agent).
 */
class JakartaWebSocketInstrumentationTest {

    private final JakartaWebSocketInstrumentation module = new JakartaWebSocketInstrumentation(JakartaWebSockets.KEY);

    private static TypeDescription.Generic api(String name, boolean isInterface) {
        return new TypeDescription.Latent("jakarta.websocket." + name,
                Modifier.PUBLIC | (isInterface ? Modifier.INTERFACE | Modifier.ABSTRACT : 0),
                isInterface ? null : TypeDescription.Generic.OBJECT).asGenericType();
    }

    private static TypeDescription type(String name, TypeDescription.Generic superClass,
                                        TypeDescription.Generic... interfaces) {
        return new TypeDescription.Latent(name, Modifier.PUBLIC, superClass, interfaces);
    }

    private boolean considered(TypeDescription type) {
        return module.typeNameFilter().matches(type) && module.typeMatcher().matches(type);
    }

    @Test
    void applicationEndpointsAndHandlersAreMatchedByTheApiTypesTheyName() {
        assertTrue(considered(type("com.example.Transcripts", api("Endpoint", false))));
        assertTrue(considered(type("com.example.Transcripts$1", TypeDescription.Generic.OBJECT,
                api("MessageHandler$Whole", true))));
        assertTrue(considered(type("com.example.Chunks", TypeDescription.Generic.OBJECT,
                api("MessageHandler$Partial", true))));
        assertFalse(considered(type("com.example.Worker", TypeDescription.Generic.OBJECT,
                TypeDescription.ForLoadedType.of(Runnable.class).asGenericType())));
        // a base class of the application's own between: not walked outside implementations' packages
        TypeDescription.Generic base = type("com.example.BaseEndpoint", api("Endpoint", false)).asGenericType();
        assertFalse(considered(type("com.example.Speech", base)));
    }

    @Test
    void theApisOwnTypesAreLeftAloneButEndpoint() {
        assertTrue(considered(new TypeDescription.Latent("jakarta.websocket.Endpoint", Modifier.PUBLIC | Modifier.ABSTRACT,
                TypeDescription.Generic.OBJECT)));
        assertFalse(considered(api("Session", true).asErasure()));
        assertFalse(considered(type("jakarta.websocket.CloseReason", TypeDescription.Generic.OBJECT)));
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
