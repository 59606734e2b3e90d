package dev.voicetrace.agent.instrument.weave;

import static dev.voicetrace.agent.instrument.weave.Matchers.isConstructor;
import static dev.voicetrace.agent.instrument.weave.Matchers.isTypeInitializer;
import static dev.voicetrace.agent.instrument.weave.Matchers.not;
import static dev.voicetrace.agent.instrument.weave.Value.ALL_ARGUMENTS;
import static dev.voicetrace.agent.instrument.weave.Value.DECLARING_CLASS;
import static dev.voicetrace.agent.instrument.weave.Value.ENTERED;
import static dev.voicetrace.agent.instrument.weave.Value.METHOD_NAME;
import static dev.voicetrace.agent.instrument.weave.Value.RETURNED;
import static dev.voicetrace.agent.instrument.weave.Value.THIS;
import static dev.voicetrace.agent.instrument.weave.Value.THROWN;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.voicetrace.agent.instrument.AdviceWeaver;
import java.io.File;
import java.io.IOException;
import java.io.InputStream;
import java.net.URL;
import java.net.URLClassLoader;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.jar.JarEntry;
import java.util.jar.JarFile;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;

/**
 * Every method of every class of real libraries, woven and then verified by the JVM: code from
 * javac, kotlinc (coroutines' state machines, inline functions) and protobuf's generator, with
 * slots reused across types, values left on the stack at a return, and handlers of every shape.
 * Each class is woven with advice on entry and exit (on exceptions too, replacing the return
 * value and writing the arguments back), constructors and type initialisers with exit advice,
 * and then initialised in a class loader of its own, which verifies it.
 */
class RealLibrariesWeavingTest {

    /** Libraries on the tests' class path, by the start of their jar's name. */
    private static final String[] LIBRARIES = {
        "okhttp-jvm-", "okio-jvm-", "kotlin-stdlib-", "reactor-core-", "protobuf-java-", "opentelemetry-proto-",
        "jackson-databind-2", "langchain4j-core-",
    };

    /** The hooks woven in; each passes its values through unchanged. */
    public static final class Hooks {
        static final AtomicLong CALLS = new AtomicLong();

        public static Object enter(String method, Object self, Object[] arguments) {
            CALLS.incrementAndGet();
            return method;
        }

        public static Object exit(Object entered, Object returned, Throwable thrown) {
            return returned;
        }

        public static void constructed(Object self) {
        }

        public static void initialised(Object type) {
        }
    }

    @Test
    void everyClassOfRealLibrariesIsWovenIntoCodeTheJvmVerifies() throws Exception {
        List<JarFile> jars = new ArrayList<>();
        List<URL> urls = new ArrayList<>();
        for (String entry : System.getProperty("java.class.path").split(File.pathSeparator)) {
            String name = new File(entry).getName();
            for (String library : LIBRARIES) {
                if (name.startsWith(library) && name.endsWith(".jar")) {
                    jars.add(new JarFile(entry));
                    urls.add(new File(entry).toURI().toURL());
                }
            }
        }
        assertEquals(LIBRARIES.length, jars.size(), "every library is on the class path");

        List<String> weavingFailures = Collections.synchronizedList(new ArrayList<>());
        AdviceWeaver weaver = new AdviceWeaver((type, failure) -> {
            // A supertype outside these jars (an optional dependency) is a refusal, not a defect.
            if (!(failure instanceof TypeNotPresentException)) {
                weavingFailures.add(type + ": " + failure);
            }
        });
        weaver.forTypes(type -> true)
                .advise(not(isConstructor()).and(not(isTypeInitializer())),
                        Advice.onEnter(Hooks.class, "enter", METHOD_NAME, THIS, ALL_ARGUMENTS).writingArgumentsBack()
                                .andOnExit(Hooks.class, "exit", ENTERED, RETURNED, THROWN).alsoOnThrowable()
                                .replacingReturn())
                .advise(isConstructor(), Advice.onExit(Hooks.class, "constructed", THIS))
                .advise(isTypeInitializer(), Advice.onExit(Hooks.class, "initialised", DECLARING_CLASS));
        int[] woven = new int[1];
        ClassLoader loader = new WeavingLoader(urls.toArray(new URL[0]), jars, weaver, woven);

        List<String> rejected = new ArrayList<>();
        int classes = 0;
        for (JarFile jar : jars) {
            for (JarEntry entry : Collections.list(jar.entries())) {
                String path = entry.getName();
                if (!path.endsWith(".class") || path.startsWith("META-INF/") || path.endsWith("module-info.class")) {
                    continue;
                }
                classes++;
                String name = path.substring(0, path.length() - ".class".length()).replace('/', '.');
                try {
                    Class.forName(name, true, loader);
                } catch (VerifyError | ClassFormatError e) {
                    rejected.add(name + ": " + e);
                } catch (Throwable e) {
                    Throwable cause = e;
                    while (cause.getCause() != null) {
                        cause = cause.getCause();
                    }
                    if (cause instanceof VerifyError || cause instanceof ClassFormatError) {
                        rejected.add(name + ": " + cause);
                    }
                    // Otherwise a missing optional dependency or an initialiser that needs its
                    // environment: the class was verified before it ran.
                }
            }
        }
        for (JarFile jar : jars) {
            jar.close();
        }

        assertEquals(List.of(), rejected.subList(0, Math.min(5, rejected.size())), rejected.size() + " rejected");
        assertEquals(List.of(), weavingFailures);
        assertTrue(woven[0] > 4_000, "woven " + woven[0] + ", " + classes + " class files read");
        assertTrue(Hooks.CALLS.get() > 0, "the woven code ran");
    }

    /** Defines every class of the jars itself, woven; the JDK's come from the boot loader. */
    private static final class WeavingLoader extends URLClassLoader {
        private final List<JarFile> jars;
        private final AdviceWeaver weaver;
        private final int[] woven;

        WeavingLoader(URL[] urls, List<JarFile> jars, AdviceWeaver weaver, int[] woven) {
            super(urls, null);
            this.jars = jars;
            this.weaver = weaver;
            this.woven = woven;
        }

        @Override
        protected Class<?> loadClass(String name, boolean resolve) throws ClassNotFoundException {
            if (name.startsWith(RealLibrariesWeavingTest.class.getName())) {
                return RealLibrariesWeavingTest.class.getClassLoader().loadClass(name);
            }
            synchronized (getClassLoadingLock(name)) {
                Class<?> loaded = findLoadedClass(name);
                if (loaded != null) {
                    return loaded;
                }
                String path = name.replace('.', '/') + ".class";
                for (JarFile jar : jars) {
                    JarEntry entry = jar.getJarEntry(path);
                    if (entry != null && !name.startsWith("java.")) {
                        return define(name, jar, entry);
                    }
                }
                return super.loadClass(name, resolve);
            }
        }

        private Class<?> define(String name, JarFile jar, JarEntry entry) throws ClassNotFoundException {
            try (InputStream in = jar.getInputStream(entry)) {
                byte[] original = in.readAllBytes();
                byte[] changed = weaver.transform(null, this, name.replace('.', '/'), null, null, original);
                if (changed != null) {
                    woven[0]++;
                }
                byte[] defined = changed != null ? changed : original;
                return defineClass(name, defined, 0, defined.length);
            } catch (IOException e) {
                throw new ClassNotFoundException(name, e);
            }
        }
    }
}
