package dev.voicetrace.agent.instrument;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.lang.instrument.ClassFileTransformer;
import java.security.ProtectionDomain;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * A class whose loading began just before its name was registered: the JVM showed it to no
 * transformer and listed it as loaded only afterwards. The sweep at the end of start-up finds it.
 */
class NamedClassesTest {

    /** Stands for a JDK class being loaded on another thread while the agent registers its name. */
    static final class LoadedMeanwhile {
    }

    /** Stands for a class loaded after registration, which the transformer saw as it loaded. */
    static final class LoadedLater {
    }

    @Test
    void classesAreRetransformedInOneOperationAndOneByOneIfTheJvmRefusesTheSet() throws Exception {
        FakeJvm jvm = new FakeJvm();
        NamedClasses.retransform(jvm.instrumentation, List.of(LoadedMeanwhile.class, LoadedLater.class), "test");
        assertEquals(List.of(List.of("LoadedMeanwhile", "LoadedLater")), jvm.operations,
                "a class and its subclass are replaced together");

        jvm.operations.clear();
        jvm.retransformed.clear();
        jvm.refused = LoadedMeanwhile.class;
        NamedClasses.retransform(jvm.instrumentation, List.of(LoadedMeanwhile.class, LoadedLater.class), "test");
        assertEquals(List.of(List.of("LoadedMeanwhile", "LoadedLater"), List.of("LoadedMeanwhile"),
                List.of("LoadedLater")), jvm.operations);
        assertEquals(List.of("LoadedLater"), jvm.retransformed, "the refused class does not stop the other");
    }

    @Test
    void aClassNoTransformerWasShownIsRetransformedOnceAndOnlyIt() throws Exception {
        FakeJvm jvm = new FakeJvm();
        List<String> woven = new ArrayList<>();
        ClassFileTransformer weaver = new ClassFileTransformer() {
            @Override
            public byte[] transform(Module module, ClassLoader loader, String name, Class<?> redefined,
                                    ProtectionDomain domain, byte[] bytes) {
                woven.add(name.substring(name.lastIndexOf('$') + 1));
                return null;
            }
        };
        NamedClasses.register(jvm.instrumentation, weaver,
                List.of(LoadedMeanwhile.class.getName(), LoadedLater.class.getName()));
        // The agent looked for loaded classes before either was listed.
        NamedClasses.retransform(jvm.instrumentation, NamedClasses.loaded(jvm.instrumentation,
                List.of(LoadedMeanwhile.class.getName(), LoadedLater.class.getName())), "test");
        assertEquals(List.of(), jvm.retransformed);

        // One finishes loading unseen; the other loads normally, through the transformer.
        jvm.loaded.add(LoadedMeanwhile.class);
        jvm.show(LoadedLater.class, null);
        jvm.loaded.add(LoadedLater.class);
        jvm.loaded.add(NamedClassesTest.class);
        assertEquals(List.of("LoadedLater"), woven);

        assertEquals(1, NamedClasses.retransformMissed(jvm.instrumentation, "test"));
        assertEquals(List.of("LoadedMeanwhile"), jvm.retransformed);
        assertEquals(List.of("LoadedLater", "LoadedMeanwhile"), woven);
        assertEquals(0, NamedClasses.retransformMissed(jvm.instrumentation, "test"), "each class once");
    }
}
