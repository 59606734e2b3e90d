package dev.voicetrace.agent.instrument.weave;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import org.objectweb.asm.ClassReader;
import org.objectweb.asm.ClassVisitor;
import org.objectweb.asm.FieldVisitor;
import org.objectweb.asm.MethodVisitor;
import org.objectweb.asm.Opcodes;

/**
 * A class as its class file describes it: name, access flags, superclass, interfaces, and the
 * names and descriptors of its own methods and fields. Supertypes are looked up through the
 * {@link ClassFiles} of the loader that defines it, only when a matcher asks for them. A type
 * known only by its name (a parameter's, or a supertype whose class file cannot be found) has no
 * flags, members or supertypes.
 */
public final class TypeShape implements NamedElement {

    private final String name;
    private final int modifiers;
    private final String superName;
    private final String[] interfaceNames;
    private final List<MethodShape> methods;
    private final List<String[]> fields;
    private final ClassFiles hierarchy;
    private final boolean resolved;

    private TypeShape(String name, int modifiers, String superName, String[] interfaceNames, ClassFiles hierarchy,
                      boolean resolved) {
        this.resolved = resolved;
        this.name = name;
        this.modifiers = modifiers;
        this.superName = superName;
        this.interfaceNames = interfaceNames;
        this.methods = new ArrayList<>();
        this.fields = new ArrayList<>();
        this.hierarchy = hierarchy;
    }

    /** A type known by its name alone. */
    public static TypeShape named(String name) {
        return new TypeShape(name, 0, null, new String[0], null, false);
    }

    /**
     * A type described by hand (no members): its supertypes are known by their names alone, as a
     * class file names them.
     */
    public static TypeShape of(String name, int modifiers, String superName, String... interfaceNames) {
        return new TypeShape(name, modifiers, superName, interfaceNames.clone(), null, true);
    }

    /** Reads a class file's header and its members' signatures (no code). */
    public static TypeShape read(byte[] classFile, ClassFiles hierarchy) {
        return read(new ClassReader(classFile), hierarchy);
    }

    static TypeShape read(ClassReader reader, ClassFiles hierarchy) {
        String superName = reader.getSuperName();
        String[] interfaces = reader.getInterfaces();
        String[] interfaceNames = new String[interfaces.length];
        for (int i = 0; i < interfaces.length; i++) {
            interfaceNames[i] = interfaces[i].replace('/', '.');
        }
        TypeShape type = new TypeShape(reader.getClassName().replace('/', '.'), reader.getAccess(),
                superName == null ? null : superName.replace('/', '.'), interfaceNames, hierarchy, true);
        reader.accept(new ClassVisitor(Opcodes.ASM9) {
            @Override
            public FieldVisitor visitField(int access, String fieldName, String descriptor, String signature,
                                           Object value) {
                type.fields.add(new String[] {fieldName, descriptor, Integer.toString(access)});
                return null;
            }

            @Override
            public MethodVisitor visitMethod(int access, String methodName, String descriptor, String signature,
                                             String[] exceptions) {
                type.methods.add(new MethodShape(type, access, methodName, descriptor));
                return null;
            }
        }, ClassReader.SKIP_CODE | ClassReader.SKIP_DEBUG | ClassReader.SKIP_FRAMES);
        return type;
    }

    @Override
    public String name() {
        return name;
    }

    @Override
    public int modifiers() {
        return modifiers;
    }

    /** False for a type known by its name alone. */
    public boolean isResolved() {
        return resolved;
    }

    /** The internal name ({@code java/lang/String}). */
    public String internalName() {
        return name.replace('.', '/');
    }

    public boolean isInterface() {
        return (modifiers & Opcodes.ACC_INTERFACE) != 0;
    }

    /** The superclass's binary name; null for {@code java.lang.Object}, an interface's is {@code java.lang.Object}. */
    public String superClassName() {
        return superName;
    }

    public List<String> interfaceNames() {
        return Collections.unmodifiableList(java.util.Arrays.asList(interfaceNames));
    }

    /** The methods this type declares, constructors and type initialiser included. */
    public List<MethodShape> methods() {
        return Collections.unmodifiableList(methods);
    }

    /** The descriptor of the field this type declares by that name, or null. */
    public String fieldDescriptor(String fieldName) {
        for (String[] field : fields) {
            if (field[0].equals(fieldName)) {
                return field[1];
            }
        }
        return null;
    }

    /** Whether the field this type declares by that name is static. */
    public boolean isStaticField(String fieldName) {
        for (String[] field : fields) {
            if (field[0].equals(fieldName)) {
                return (Integer.parseInt(field[2]) & Opcodes.ACC_STATIC) != 0;
            }
        }
        return false;
    }

    /** Whether this type declares a method or field of that name. */
    public boolean declares(String memberName) {
        for (MethodShape method : methods) {
            if (method.name().equals(memberName)) {
                return true;
            }
        }
        return fieldDescriptor(memberName) != null;
    }

    /** This type, then its superclasses and interfaces, however indirectly, each once. */
    public boolean hasSuperType(Matcher<? super TypeShape> matcher) {
        List<TypeShape> pending = new ArrayList<>();
        java.util.Set<String> seen = new java.util.HashSet<>();
        pending.add(this);
        seen.add(name);
        while (!pending.isEmpty()) {
            TypeShape type = pending.remove(pending.size() - 1);
            if (matcher.matches(type)) {
                return true;
            }
            if (type.superName != null && seen.add(type.superName)) {
                pending.add(supertype(type.superName));
            }
            for (String implemented : type.interfaceNames) {
                if (seen.add(implemented)) {
                    pending.add(supertype(implemented));
                }
            }
        }
        return false;
    }

    /** A supertype as this type's loader sees it, or by its name alone when its class file is not found. */
    TypeShape supertype(String binaryName) {
        TypeShape found = hierarchy == null ? null : hierarchy.find(binaryName);
        return found == null ? named(binaryName) : found;
    }

    @Override
    public String toString() {
        return name;
    }
}
