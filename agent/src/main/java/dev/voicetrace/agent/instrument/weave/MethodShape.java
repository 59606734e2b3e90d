package dev.voicetrace.agent.instrument.weave;

import org.objectweb.asm.Type;

/** A method as its class file declares it. */
public final class MethodShape implements NamedElement {

    private final TypeShape declaringType;
    private final int modifiers;
    private final String name;
    private final String descriptor;
    private Type[] parameterTypes;

    MethodShape(TypeShape declaringType, int modifiers, String name, String descriptor) {
        this.declaringType = declaringType;
        this.modifiers = modifiers;
        this.name = name;
        this.descriptor = descriptor;
    }

    public TypeShape declaringType() {
        return declaringType;
    }

    /** The method's name; {@code <init>} for a constructor, {@code <clinit>} for the type initialiser. */
    @Override
    public String name() {
        return name;
    }

    @Override
    public int modifiers() {
        return modifiers;
    }

    public String descriptor() {
        return descriptor;
    }

    public boolean isConstructor() {
        return "<init>".equals(name);
    }

    public boolean isTypeInitializer() {
        return "<clinit>".equals(name);
    }

    public int parameterCount() {
        return parameterTypes().length;
    }

    /** The parameter's type as Java writes it: {@code int}, {@code java.lang.String}, {@code byte[]}. */
    public String parameterTypeName(int index) {
        return parameterTypes()[index].getClassName();
    }

    public String returnTypeName() {
        return Type.getReturnType(descriptor).getClassName();
    }

    private Type[] parameterTypes() {
        Type[] types = parameterTypes;
        if (types == null) {
            types = Type.getArgumentTypes(descriptor);
            parameterTypes = types;
        }
        return types;
    }

    @Override
    public String toString() {
        return declaringType.name() + "#" + name + descriptor;
    }
}
