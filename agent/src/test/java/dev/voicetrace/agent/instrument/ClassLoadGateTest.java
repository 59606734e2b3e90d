package dev.voicetrace.agent.instrument;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;

import java.lang.instrument.ClassFileTransformer;
import java.security.ProtectionDomain;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * The agent's transformers behind one class-file hook that, once start-up is over, is registered
 * with the JVM only while a class some transformer wants is being defined.
 */
class ClassLoadGateTest {

    private static final ClassLoader LOADER = ClassLoadGateTest.class.getClassLoader();

    /** A transformer that notes the classes it is shown, with the interest of a library under {@code com.example.sdk.}. */
    private static final class NotingTransformer implements ClassFileTransformer {
        final String label;
        final List<String> shown;

        NotingTransformer(String label, List<String> shown) {
            this.label = label;
            this.shown = shown;
        }

        @Override
        public byte[] transform(Module module, ClassLoader loader, String name, Class<?> redefined,
                                ProtectionDomain domain, byte[] bytes) {
            shown.add(label + ":" + name.substring(name.lastIndexOf('/') + 1));
            return null;
        }
    }

    private static ClassLoadGate.Want sdkClasses(ClassLoader loader, String name) {
        return name.startsWith("com.example.sdk.") ? ClassLoadGate.Want.THIS_CLASS : ClassLoadGate.Want.NOTHING;
    }

    @Test
    void onceClosedTheHookIsOnOnlyWhileAWantedClassIsDefined() throws Exception {
        FakeJvm jvm = new FakeJvm();
        List<String> shown = new ArrayList<>();
        ClassLoadGate.add(jvm.instrumentation, new NotingTransformer("sdk", shown), ClassLoadGateTest::sdkClasses);
        ClassLoadGate.add(jvm.instrumentation, new NotingTransformer("jdk", shown), (loader, name) ->
                "java.util.BitSet".equals(name) ? ClassLoadGate.Want.THIS_CLASS : ClassLoadGate.Want.NOTHING);
        assertEquals(1, jvm.transformers.size(), "one hook for every transformer");
        jvm.show(java.util.BitSet.class, null);
        assertEquals(List.of("sdk:BitSet", "jdk:BitSet"), shown, "each transformer in turn, while start-up lasts");

        ClassLoadGate.close(jvm.instrumentation, 0);
        assertEquals(List.of(), jvm.transformers, "off once start-up is over");

        assertNull(ClassLoadGate.defining(LOADER, "org.example.app.Main"));
        assertEquals(List.of(), jvm.transformers, "a class no one wants is defined with the hook off");

        Object client = ClassLoadGate.defining(LOADER, "com.example.sdk.Client");
        assertNotNull(client);
        assertEquals(1, jvm.transformers.size(), "on while a wanted class is defined");
        Object bitSet = ClassLoadGate.defining(null, "java.util.BitSet");
        assertNotNull(bitSet);
        assertEquals(1, jvm.transformers.size(), "one hook however many definitions want it");
        ClassLoadGate.defined();
        assertEquals(1, jvm.transformers.size(), "on until the last such definition is over");
        ClassLoadGate.defined();
        assertEquals(List.of(), jvm.transformers);

        assertNull(ClassLoadGate.defining(LOADER, "dev.voicetrace.agent.Anything"), "the agent's own classes never");

        ClassLoadGate.withHookOn(() -> assertEquals(1, jvm.transformers.size(), "on for a retransformation"));
        assertEquals(List.of(), jvm.transformers);
    }

    @Test
    void aLoaderWhoseEveryClassIsWantedKeepsTheHookOnForGood() {
        FakeJvm jvm = new FakeJvm();
        ClassLoader handlers = new ClassLoader(null) { };
        ClassLoadGate.add(jvm.instrumentation, new NotingTransformer("any", new ArrayList<>()), (loader, name) ->
                loader == handlers ? ClassLoadGate.Want.EVERY_CLASS : ClassLoadGate.Want.NOTHING);
        ClassLoadGate.close(jvm.instrumentation, 0);
        assertEquals(List.of(), jvm.transformers);

        assertNull(ClassLoadGate.defining(handlers, "org.example.app.Handler"), "nothing to end: the hook stays on");
        assertEquals(1, jvm.transformers.size());
        ClassLoadGate.withHookOn(() -> { });
        assertEquals(1, jvm.transformers.size(), "still on after a retransformation, which ends with the hook off otherwise");
    }

    @Test
    void aWantedClassDefinedAsTheHookCameOffAndNeverShownIsRetransformed() {
        FakeJvm jvm = new FakeJvm();
        List<String> shown = new ArrayList<>();
        // Stand-ins: BitSet is defined and shown as the gate closes, LongAdder defined unseen, StringJoiner unwanted.
        ClassLoadGate.add(jvm.instrumentation, new NotingTransformer("t", shown), (loader, name) ->
                name.equals("java.util.BitSet") || name.equals("java.util.concurrent.atomic.LongAdder")
                        ? ClassLoadGate.Want.THIS_CLASS : ClassLoadGate.Want.NOTHING);
        jvm.loaded.add(java.util.ArrayList.class);
        boolean[] listed = new boolean[1];
        jvm.onListing = () -> {
            if (!listed[0]) {
                listed[0] = true;
                try {
                    jvm.show(java.util.BitSet.class, null);
                } catch (Exception e) {
                    throw new AssertionError(e);
                }
                jvm.loaded.add(java.util.BitSet.class);
                jvm.loaded.add(java.util.concurrent.atomic.LongAdder.class);
                jvm.loaded.add(java.util.StringJoiner.class);
            }
        };
        ClassLoadGate.close(jvm.instrumentation, 0);
        assertEquals(List.of("LongAdder"), jvm.retransformed);
        assertEquals(List.of("t:BitSet", "t:LongAdder"), shown);
        assertEquals(List.of(), jvm.transformers, "off again after the retransformation");
    }
}
