package dev.voicetrace.agent.instrument;

import java.lang.instrument.ClassFileTransformer;
import java.lang.instrument.Instrumentation;
import java.lang.reflect.Proxy;
import java.security.ProtectionDomain;
import java.util.ArrayList;
import java.util.List;

/**
 * An {@link Instrumentation} that keeps its transformers as the JVM does, lists {@code loaded},
 * and runs retransformations through the transformers registered at the time.
 */
final class FakeJvm {
    final List<ClassFileTransformer> transformers = new ArrayList<>();
    final List<Class<?>> loaded = new ArrayList<>();
    final List<String> retransformed = new ArrayList<>();
    /** The classes of each retransformation the JVM was asked for. */
    final List<List<String>> operations = new ArrayList<>();
    /** A class the JVM refuses to retransform. */
    Class<?> refused;
    /** Called each time the loaded classes are listed (a class may finish loading meanwhile). */
    Runnable onListing = () -> { };
    final Instrumentation instrumentation = (Instrumentation) Proxy.newProxyInstance(
            FakeJvm.class.getClassLoader(), new Class<?>[] {Instrumentation.class},
            (proxy, method, arguments) -> {
                switch (method.getName()) {
                    case "addTransformer":
                        transformers.add((ClassFileTransformer) arguments[0]);
                        return null;
                    case "removeTransformer":
                        return transformers.remove(arguments[0]);
                    case "getAllLoadedClasses":
                        Class<?>[] listed = loaded.toArray(new Class<?>[0]);
                        onListing.run();
                        return listed;
                    case "isModifiableClass":
                        return true;
                    case "retransformClasses":
                        List<String> operation = new ArrayList<>();
                        for (Object type : (Object[]) arguments[0]) {
                            operation.add(((Class<?>) type).getSimpleName());
                        }
                        operations.add(operation);
                        if (java.util.Arrays.asList((Object[]) arguments[0]).contains(refused)) {
                            throw new java.lang.instrument.UnmodifiableClassException(refused.getName());
                        }
                        for (Object type : (Object[]) arguments[0]) {
                            retransformed.add(((Class<?>) type).getSimpleName());
                            show((Class<?>) type, (Class<?>) type);
                        }
                        return null;
                    case "hashCode":
                        return System.identityHashCode(proxy);
                    case "equals":
                        return proxy == arguments[0];
                    default:
                        return null;
                }
            });

    /** The JVM's class-file hook for {@code type}: at loading ({@code redefined} null) or retransformation. */
    void show(Class<?> type, Class<?> redefined) throws Exception {
        for (ClassFileTransformer transformer : new ArrayList<>(transformers)) {
            transformer.transform(type.getModule(), type.getClassLoader(), type.getName().replace('.', '/'),
                    redefined, (ProtectionDomain) null, new byte[0]);
        }
    }
}
