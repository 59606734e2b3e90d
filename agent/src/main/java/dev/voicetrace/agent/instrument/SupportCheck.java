package dev.voicetrace.agent.instrument;

import dev.voicetrace.agent.AgentLog;
import dev.voicetrace.agent.capture.SdkMembers;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import net.bytebuddy.description.field.FieldDescription;
import net.bytebuddy.description.method.MethodDescription;
import net.bytebuddy.description.type.TypeDefinition;
import net.bytebuddy.description.type.TypeDescription;
import net.bytebuddy.dynamic.ClassFileLocator;
import net.bytebuddy.pool.TypePool;

/**
 * Decides, once per class loader and module, whether a library version can be instrumented, and
 * reports what of it the agent's readers will miss. It reads class files without loading them,
 * so checking never changes what the application loads.
 *
 * <ul>
 *   <li>The members the module intercepts ({@link InstrumentationModule#requiredMembers}) decide:
 *       when one is missing the version is not understood, one line says so and the library
 *       runs untouched.</li>
 *   <li>The members the provider's readers require were found by running those readers over the
 *       real SDK in the build ({@code sdk-members.txt} in the module's package, see
 *       {@link SdkMembers#readLog}). Each one a type of this version lacks is reported as SDK
 *       drift before the first call, on a background thread; the library is still traced, without
 *       those fields. A type that is absent altogether belongs to a part of the library the
 *       application does not have, and is not drift.</li>
 * </ul>
 */
final class SupportCheck {

    /** The file, in the module's package, of the members its provider's readers require. */
    static final String READ_MEMBERS_FILE = "sdk-members.txt";

    private static final ThreadPoolExecutor BACKGROUND = backgroundThread();

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
        TypePool pool = poolOf(loader);
        for (String member : module.requiredMembers()) {
            String typeName = member.substring(0, member.indexOf('#'));
            String methodName = member.substring(member.indexOf('#') + 1);
            TypePool.Resolution resolution = pool.describe(typeName);
            if (!resolution.isResolved() || !declares(resolution.resolve(), methodName)) {
                AgentLog.warn(module.name() + ": this version is not supported (" + member
                        + " not found); its calls are not traced");
                return false;
            }
        }
        AgentLog.debug(module.name() + ": supported version found");
        try {
            BACKGROUND.execute(() -> reportMissingReadMembers(loader));
        } catch (RuntimeException rejected) {
            // the check only reports; a JVM shutting down can do without it
        }
        return true;
    }

    private void reportMissingReadMembers(ClassLoader loader) {
        try {
            for (String member : missingReadMembers(loader)) {
                int hash = member.indexOf('#');
                SdkMembers.missingAtInstall(member.substring(0, hash), member.substring(hash + 1), module.name());
            }
        } catch (RuntimeException | LinkageError e) {
            AgentLog.debug(module.name() + ": the member check failed: " + e);
        }
    }

    /**
     * The members the provider's readers require that this version's types lack, as
     * {@code type#member}; alternatives ({@code a|b}) are satisfied by any one of them.
     */
    List<String> missingReadMembers(ClassLoader loader) {
        List<String> required = readMembers(module.getClass());
        if (required.isEmpty()) {
            return Collections.emptyList();
        }
        TypePool pool = poolOf(loader);
        List<String> missing = new ArrayList<>();
        for (String member : required) {
            int hash = member.indexOf('#');
            try {
                TypePool.Resolution resolution = pool.describe(member.substring(0, hash));
                if (resolution.isResolved() && !hasMember(resolution.resolve(), member.substring(hash + 1))) {
                    missing.add(member);
                }
            } catch (IllegalStateException unresolvableSupertype) {
                // a supertype outside this loader's view: nothing can be said of the member
            }
        }
        return missing;
    }

    /** The {@value #READ_MEMBERS_FILE} lines beside {@code moduleClass}; none when it has no such file. */
    static List<String> readMembers(Class<?> moduleClass) {
        List<String> members = new ArrayList<>();
        try (InputStream in = moduleClass.getResourceAsStream(READ_MEMBERS_FILE)) {
            if (in == null) {
                return members;
            }
            BufferedReader reader = new BufferedReader(new InputStreamReader(in, StandardCharsets.UTF_8));
            for (String line = reader.readLine(); line != null; line = reader.readLine()) {
                line = line.trim();
                if (!line.isEmpty() && !line.startsWith("#") && line.indexOf('#') > 0) {
                    members.add(line);
                }
            }
        } catch (IOException e) {
            AgentLog.debug("could not read " + READ_MEMBERS_FILE + " of " + moduleClass.getName() + ": " + e);
        }
        return members;
    }

    private static TypePool poolOf(ClassLoader loader) {
        return TypePool.Default.of(ClassFileLocator.ForClassLoader.of(loader));
    }

    private static boolean declares(TypeDescription type, String name) {
        for (MethodDescription.InDefinedShape method : type.getDeclaredMethods()) {
            if (method.getName().equals(name)) {
                return true;
            }
        }
        return false;
    }

    /** Whether {@code type}, a superclass or an interface has the method or field (any of {@code a|b}). */
    private static boolean hasMember(TypeDescription type, String member) {
        if (member.startsWith(SdkMembers.FIELD_PREFIX)) {
            String field = member.substring(SdkMembers.FIELD_PREFIX.length());
            for (TypeDefinition current = type; current != null; current = current.getSuperClass()) {
                for (FieldDescription declared : current.getDeclaredFields()) {
                    if (declared.getName().equals(field)) {
                        return true;
                    }
                }
            }
            return false;
        }
        for (String alternative : member.split("\\|")) {
            if (hasMethod(type, alternative)) {
                return true;
            }
        }
        return false;
    }

    private static boolean hasMethod(TypeDefinition type, String name) {
        for (MethodDescription method : type.getDeclaredMethods()) {
            if (method.getName().equals(name)) {
                return true;
            }
        }
        TypeDefinition superClass = type.getSuperClass();
        if (superClass != null && hasMethod(superClass, name)) {
            return true;
        }
        for (TypeDefinition implemented : type.getInterfaces()) {
            if (hasMethod(implemented, name)) {
                return true;
            }
        }
        return false;
    }

    /** One daemon thread, started when a library is first checked and gone a second after the last. */
    private static ThreadPoolExecutor backgroundThread() {
        ThreadPoolExecutor executor = new ThreadPoolExecutor(1, 1, 1, TimeUnit.SECONDS, new LinkedBlockingQueue<>(),
                task -> {
                    Thread thread = new Thread(task, "voicetrace-version-check");
                    thread.setDaemon(true);
                    return thread;
                });
        executor.allowCoreThreadTimeOut(true);
        return executor;
    }
}
