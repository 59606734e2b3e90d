package dev.voicetrace.agent.instrument;

import static dev.voicetrace.agent.instrument.weave.Matchers.named;

import dev.voicetrace.agent.instrument.weave.Advice;
import java.io.IOException;
import java.io.InputStream;
import java.util.Map;

/** Weaves advice into a test class as the agent would, and defines the result in a class loader of its own. */
final class WovenClasses {

    private WovenClasses() {}

    static byte[] classFile(Class<?> type) throws IOException {
        String file = type.getName().substring(type.getPackageName().length() + 1) + ".class";
        try (InputStream in = type.getResourceAsStream(file)) {
            return in.readAllBytes();
        }
    }

    /** {@code type} with each method named in {@code adviceByMethod} woven; a weaving failure fails the test. */
    static Class<?> weave(Class<?> type, Map<String, Advice> adviceByMethod) throws Exception {
        AdviceWeaver weaver = new AdviceWeaver((name, failure) -> {
            throw new AssertionError("could not weave " + name, failure);
        });
        AdviceWeaver.Rule rule = weaver.forTypes(named(type.getName()));
        adviceByMethod.forEach((method, advice) -> rule.advise(named(method), advice));
        byte[] woven = weaver.transform(null, type.getClassLoader(), type.getName().replace('.', '/'), null, null,
                classFile(type));
        if (woven == null) {
            throw new AssertionError(type.getName() + " was not woven");
        }
        return define(type, woven);
    }

    /** Defines {@code classFile} as {@code type} in a loader of its own, which sees the test's classes for the rest. */
    static Class<?> define(Class<?> type, byte[] classFile) throws ClassNotFoundException {
        ClassLoader loader = new ClassLoader(type.getClassLoader()) {
            @Override
            protected Class<?> loadClass(String name, boolean resolve) throws ClassNotFoundException {
                if (name.equals(type.getName())) {
                    synchronized (getClassLoadingLock(name)) {
                        Class<?> defined = findLoadedClass(name);
                        return defined != null ? defined : defineClass(name, classFile, 0, classFile.length);
                    }
                }
                return super.loadClass(name, resolve);
            }
        };
        return loader.loadClass(type.getName());
    }
}
