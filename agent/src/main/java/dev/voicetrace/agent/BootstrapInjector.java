package dev.voicetrace.agent;

import java.lang.invoke.MethodHandles;
import java.lang.reflect.Method;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Defines the bootstrap classes directly in the JVM's boot class loader. Runs inside a class
 * loader of its own, whose unnamed module alone is allowed to use the JDK's internal
 * {@code jdk.internal.misc.Unsafe}: the application's modules gain no access they did not have.
 * It uses only java.base, since that loader sees nothing else.
 */
public final class BootstrapInjector {

    private BootstrapInjector() {}

    /**
     * @param classes class file bytes by binary name, all of one package; a class is defined after
     *     its superclass and interfaces, whatever the map's order
     */
    public static void inject(Map<String, byte[]> classes) throws Exception {
        Class<?> unsafeType = Class.forName("jdk.internal.misc.Unsafe");
        Object unsafe = unsafeType.getMethod("getUnsafe").invoke(null);
        Method define = unsafeType.getMethod("defineClass", String.class, byte[].class, int.class, int.class,
                ClassLoader.class, java.security.ProtectionDomain.class);
        // Only the first class is defined through Unsafe; the others through a lookup in its package,
        // which defines into the same loader. Thirty reflective calls to one method would make the
        // JDK spin an accessor class for it (its generator's fourteen classes loaded at start).
        MethodHandles.Lookup inPackage = null;
        Map<String, byte[]> left = new LinkedHashMap<>(classes);
        while (!left.isEmpty()) {
            List<String> defined = new ArrayList<>();
            Throwable last = null;
            for (Map.Entry<String, byte[]> entry : left.entrySet()) {
                byte[] bytes = entry.getValue();
                try {
                    if (inPackage == null) {
                        Class<?> first = (Class<?>) define.invoke(unsafe, entry.getKey(), bytes, 0, bytes.length, null, null);
                        inPackage = MethodHandles.privateLookupIn(first, MethodHandles.lookup());
                    } else {
                        inPackage.defineClass(bytes);
                    }
                    defined.add(entry.getKey());
                } catch (java.lang.reflect.InvocationTargetException e) {
                    // Its superclass or an interface is among those not defined yet: next round.
                    last = e.getCause();
                } catch (NoClassDefFoundError e) {
                    last = e;
                }
            }
            if (defined.isEmpty()) {
                throw new IllegalStateException("cannot define " + left.keySet(), last);
            }
            defined.forEach(left::remove);
        }
    }
}
