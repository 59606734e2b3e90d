package dev.voicetrace.agent.instrument;

import dev.voicetrace.agent.AgentLog;
import dev.voicetrace.agent.capture.SdkMembers;
import dev.voicetrace.agent.instrument.weave.ClassFiles;
import dev.voicetrace.agent.instrument.weave.MethodShape;
import dev.voicetrace.agent.instrument.weave.TypeShape;
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
        ClassFiles classFiles = ClassFiles.of(loader);
        for (String member : module.requiredMembers()) {
            String typeName = member.substring(0, member.indexOf('#'));
            String methodName = member.substring(member.indexOf('#') + 1);
            TypeShape type = classFiles.find(typeName);
            if (type == null || !declares(type, methodName)) {
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
        ClassFiles classFiles = ClassFiles.of(loader);
        List<String> missing = new ArrayList<>();
        for (String member : required) {
            int hash = member.indexOf('#');
            TypeShape type = classFiles.find(member.substring(0, hash));
            if (type != null && hasMember(type, member.substring(hash + 1)) == Boolean.FALSE) {
                missing.add(member);
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

    private static boolean declares(TypeShape type, String name) {
        for (dev.voicetrace.agent.instrument.weave.MethodShape method : type.methods()) {
            if (method.name().equals(name)) {
                return true;
            }
        }
        return false;
    }

    /**
     * Whether {@code type}, a superclass or an interface has the method or field (any of
     * {@code a|b}); null when a supertype's class file is outside this loader's view and the
     * member was not found elsewhere: nothing can be said of it then.
     */
    private static Boolean hasMember(TypeShape type, String member) {
        boolean fieldWanted = member.startsWith(SdkMembers.FIELD_PREFIX);
        String[] alternatives = fieldWanted ? new String[] {member.substring(SdkMembers.FIELD_PREFIX.length())}
                : member.split("\\|");
        boolean[] unknownSupertype = new boolean[1];
        boolean found = type.hasSuperType(current -> {
            if (!current.isResolved()) {
                unknownSupertype[0] = true;
                return false;
            }
            if (fieldWanted && current.isInterface()) {
                return false;
            }
            for (String name : alternatives) {
                if (fieldWanted ? current.fieldDescriptor(name) != null : declares(current, name)) {
                    return true;
                }
            }
            return false;
        });
        return found ? Boolean.TRUE : unknownSupertype[0] ? null : Boolean.FALSE;
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
