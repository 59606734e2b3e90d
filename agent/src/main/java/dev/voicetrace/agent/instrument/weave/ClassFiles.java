package dev.voicetrace.agent.instrument.weave;

import java.io.IOException;
import java.io.InputStream;
import java.lang.ref.WeakReference;
import java.util.Map;
import java.util.WeakHashMap;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The class files one class loader can see, read as resources and never by loading a class: a
 * matcher that walks a type's supertypes, or the frames of a woven method, must not load the
 * application's classes (a class loaded from inside a transformer may be loaded too early, or in
 * a loader that is busy). What was read is kept as {@link TypeShape}s, a bounded number per loader.
 */
public final class ClassFiles {

    /** Beyond this many types described for one loader, the cache starts again from empty. */
    private static final int MAX_CACHED = 4096;
    private static final Map<ClassLoader, ClassFiles> BY_LOADER = new WeakHashMap<>();
    private static final ClassFiles BOOT = new ClassFiles(null);

    private final WeakReference<ClassLoader> loader;
    private final Map<String, TypeShape> described = new ConcurrentHashMap<>();

    private ClassFiles(ClassLoader loader) {
        this.loader = loader == null ? null : new WeakReference<>(loader);
    }

    /** The class files {@code loader} sees (null: the boot loader's). */
    public static ClassFiles of(ClassLoader loader) {
        if (loader == null) {
            return BOOT;
        }
        synchronized (BY_LOADER) {
            return BY_LOADER.computeIfAbsent(loader, ClassFiles::new);
        }
    }

    /**
     * Describes a class file being loaded or retransformed. It is not kept: most classes shown to a
     * weaver are never asked for again, and one that is a supertype is read again when needed.
     */
    public TypeShape describe(byte[] classFile) {
        return TypeShape.read(classFile, this);
    }

    /** The type of that binary name as this loader sees it, or null when its class file is not found. */
    public TypeShape find(String binaryName) {
        TypeShape known = described.get(binaryName);
        if (known != null) {
            return known;
        }
        byte[] classFile = read(binaryName.replace('.', '/') + ".class");
        if (classFile == null) {
            return null;
        }
        TypeShape type = TypeShape.read(classFile, this);
        remember(type);
        return type;
    }

    /**
     * The closest class both internal names extend, for a stack map frame where two branches meet;
     * {@code java/lang/Object} when either is an interface (as the JVM's verifier treats them).
     *
     * @param beingWoven the class whose method needs the frame (it may be one of the two), or null
     *
     * @throws TypeNotPresentException when a class file in either chain is not found: a guess could
     *     make the woven class fail verification, so the class is better left as it is
     */
    public String commonSuperClass(String internalA, String internalB, TypeShape beingWoven) {
        TypeShape a = require(internalA, beingWoven);
        TypeShape b = require(internalB, beingWoven);
        if (a.isInterface() || b.isInterface()) {
            return "java/lang/Object";
        }
        java.util.Set<String> chainOfA = new java.util.HashSet<>();
        for (TypeShape type = a; type != null; type = superClassOf(type, beingWoven)) {
            chainOfA.add(type.name());
        }
        for (TypeShape type = b; type != null; type = superClassOf(type, beingWoven)) {
            if (chainOfA.contains(type.name())) {
                return type.internalName();
            }
        }
        return "java/lang/Object";
    }

    private TypeShape superClassOf(TypeShape type, TypeShape beingWoven) {
        return type.superClassName() == null ? null : require(type.superClassName(), beingWoven);
    }

    /** The class being woven is not yet defined, and may have no class file to read: it is known as shown. */
    private TypeShape require(String name, TypeShape beingWoven) {
        String binaryName = name.replace('/', '.');
        if (beingWoven != null && beingWoven.name().equals(binaryName)) {
            return beingWoven;
        }
        TypeShape type = find(binaryName);
        if (type == null) {
            throw new TypeNotPresentException(binaryName, null);
        }
        return type;
    }

    private void remember(TypeShape type) {
        if (described.size() >= MAX_CACHED) {
            described.clear();
        }
        described.put(type.name(), type);
    }

    private byte[] read(String resource) {
        ClassLoader source = loader == null ? ClassLoader.getPlatformClassLoader() : loader.get();
        if (source == null) {
            return null;
        }
        try (InputStream in = source.getResourceAsStream(resource)) {
            return in == null ? null : in.readAllBytes();
        } catch (IOException | RuntimeException e) {
            return null;
        }
    }
}
