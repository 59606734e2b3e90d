package dev.voicetrace.agent.instrument;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.InputStream;
import java.lang.instrument.ClassFileTransformer;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * The JDK's HTTP client is changed as it loads, and retransformed only when it was loaded before
 * the agent got there.
 */
class JdkHttpClientInstrumentationTest {

    /** The package of the hooks advice calls. */
    private static final String HOOKS = "dev/voicetrace/bootstrap/";

    @Test
    void nothingIsRetransformedWhileTheClientIsNotLoadedAndItIsWovenWhenItLoads() throws Exception {
        FakeJvm jvm = new FakeJvm();
        jvm.loaded.add(String.class);
        JdkHttpClientInstrumentation.install(jvm.instrumentation, "jdk-http", "jdk-ws");

        assertEquals(List.of(), jvm.operations);
        for (String name : List.of(JdkHttpClientInstrumentation.HTTP_CLIENT_IMPL,
                JdkHttpClientInstrumentation.WEB_SOCKET_BUILDER, JdkHttpClientInstrumentation.WEB_SOCKET_IMPL)) {
            byte[] woven = showAsLoading(jvm, name);
            assertNotNull(woven, name + " is woven as it loads");
            assertTrue(new String(woven, StandardCharsets.ISO_8859_1).contains(HOOKS), name + " calls the hooks");
        }
    }

    @Test
    void aClientLoadedBeforeTheAgentIsRetransformed() throws Exception {
        FakeJvm jvm = new FakeJvm();
        jvm.loaded.add(String.class);
        jvm.loaded.add(Class.forName(JdkHttpClientInstrumentation.HTTP_CLIENT_IMPL, false,
                ClassLoader.getPlatformClassLoader()));
        JdkHttpClientInstrumentation.install(jvm.instrumentation, "jdk-http", null);

        assertEquals(List.of(List.of("HttpClientImpl")), jvm.operations);
    }

    /** What the transformers registered return for the JDK's class file of {@code binaryName}, loading. */
    private static byte[] showAsLoading(FakeJvm jvm, String binaryName) throws Exception {
        String internalName = binaryName.replace('.', '/');
        byte[] classFile;
        try (InputStream in = URI.create("jrt:/java.net.http/" + internalName + ".class").toURL().openStream()) {
            classFile = in.readAllBytes();
        }
        byte[] result = null;
        for (ClassFileTransformer transformer : jvm.transformers) {
            byte[] woven = transformer.transform(ModuleLayer.boot().findModule("java.net.http").orElseThrow(),
                    ClassLoader.getPlatformClassLoader(), internalName, null, null, classFile);
            if (woven != null) {
                result = woven;
            }
        }
        return result;
    }
}
