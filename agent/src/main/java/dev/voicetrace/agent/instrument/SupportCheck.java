package dev.voicetrace.agent.instrument;

import dev.voicetrace.agent.AgentLog;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import net.bytebuddy.description.method.MethodDescription;
import net.bytebuddy.description.type.TypeDescription;
import net.bytebuddy.dynamic.ClassFileLocator;
import net.bytebuddy.pool.TypePool;

/**
 * Decides, once per class loader and module, whether a library version has every member the
 * module relies on. It reads class files without loading them, so checking never changes what
 * the application loads. A failed check is logged once and leaves the library untouched.
 */
final class SupportCheck {

    private final Map<ClassLoader, Boolean> verdicts = new ConcurrentHashMap<>();
    private final InstrumentationModule module;

    SupportCheck(InstrumentationModule module) {
        this.module = module;
    }

    boolean supported(ClassLoader loader) {
        ClassLoader key = loader == null ? ClassLoader.getSystemClassLoader() : loader;
        return verdicts.computeIfAbsent(key, this::check);
    }

    private boolean check(ClassLoader loader) {
        TypePool pool = TypePool.Default.of(ClassFileLocator.ForClassLoader.of(loader));
        for (String member : module.requiredMembers()) {
            String typeName = member.substring(0, member.indexOf('#'));
            String methodName = member.substring(member.indexOf('#') + 1);
            TypePool.Resolution resolution = pool.describe(typeName);
            if (!resolution.isResolved() || !hasMethod(resolution.resolve(), methodName)) {
                AgentLog.warn(module.name() + ": this version is not supported (" + member
                        + " not found); its calls are not traced");
                return false;
            }
        }
        AgentLog.debug(module.name() + ": supported version found");
        return true;
    }

    private static boolean hasMethod(TypeDescription type, String name) {
        for (MethodDescription.InDefinedShape method : type.getDeclaredMethods()) {
            if (method.getName().equals(name)) {
                return true;
            }
        }
        return false;
    }
}
