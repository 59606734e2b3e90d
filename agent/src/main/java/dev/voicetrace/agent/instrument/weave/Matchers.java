package dev.voicetrace.agent.instrument.weave;

import java.util.Arrays;
import java.util.HashSet;
import java.util.Set;
import org.objectweb.asm.Opcodes;

/** The tests the instrumentation modules pick types and methods with, all read from class files. */
public final class Matchers {

    private Matchers() {}

    public static <T extends NamedElement> Matcher<T> any() {
        return element -> true;
    }

    public static <T extends NamedElement> Matcher<T> none() {
        return element -> false;
    }

    public static <T> Matcher<T> not(Matcher<? super T> matcher) {
        return element -> !matcher.matches(element);
    }

    public static <T extends NamedElement> Matcher<T> named(String name) {
        return element -> name.equals(element.name());
    }

    public static <T extends NamedElement> Matcher<T> namedOneOf(String... names) {
        Set<String> accepted = new HashSet<>(Arrays.asList(names));
        return element -> accepted.contains(element.name());
    }

    public static <T extends NamedElement> Matcher<T> nameStartsWith(String prefix) {
        return element -> element.name().startsWith(prefix);
    }

    public static <T extends NamedElement> Matcher<T> isPublic() {
        return element -> (element.modifiers() & Opcodes.ACC_PUBLIC) != 0;
    }

    public static <T extends NamedElement> Matcher<T> isPrivate() {
        return element -> (element.modifiers() & Opcodes.ACC_PRIVATE) != 0;
    }

    public static <T extends NamedElement> Matcher<T> isAbstract() {
        return element -> (element.modifiers() & Opcodes.ACC_ABSTRACT) != 0;
    }

    public static Matcher<TypeShape> isInterface() {
        return type -> (type.modifiers() & Opcodes.ACC_INTERFACE) != 0;
    }

    /** The type itself, or any class it extends or interface it implements, however indirectly. */
    public static Matcher<TypeShape> hasSuperType(Matcher<? super TypeShape> matcher) {
        return type -> type.hasSuperType(matcher);
    }

    public static Matcher<MethodShape> isBridge() {
        return method -> (method.modifiers() & Opcodes.ACC_BRIDGE) != 0;
    }

    public static Matcher<MethodShape> isConstructor() {
        return MethodShape::isConstructor;
    }

    public static Matcher<MethodShape> isTypeInitializer() {
        return MethodShape::isTypeInitializer;
    }

    public static Matcher<MethodShape> isDeclaredBy(Matcher<? super TypeShape> type) {
        return method -> type.matches(method.declaringType());
    }

    public static Matcher<MethodShape> takesArguments(int count) {
        return method -> method.parameterCount() == count;
    }

    /** Exactly these parameter types, in this order. */
    public static Matcher<MethodShape> takesArguments(Class<?>... types) {
        return method -> {
            if (method.parameterCount() != types.length) {
                return false;
            }
            for (int i = 0; i < types.length; i++) {
                if (!nameOf(types[i]).equals(method.parameterTypeName(i))) {
                    return false;
                }
            }
            return true;
        };
    }

    /** The parameter at {@code index} (a type known by its name only) is one {@code type} accepts. */
    public static Matcher<MethodShape> takesArgument(int index, Matcher<? super TypeShape> type) {
        return method -> index < method.parameterCount() && type.matches(TypeShape.named(method.parameterTypeName(index)));
    }

    public static Matcher<MethodShape> takesArgument(int index, Class<?> type) {
        String name = nameOf(type);
        return method -> index < method.parameterCount() && name.equals(method.parameterTypeName(index));
    }

    public static Matcher<MethodShape> returns(Matcher<? super TypeShape> type) {
        return method -> type.matches(TypeShape.named(method.returnTypeName()));
    }

    public static Matcher<MethodShape> returns(Class<?> type) {
        String name = nameOf(type);
        return method -> name.equals(method.returnTypeName());
    }

    /** The name a parameter or return type of {@code type} has in a method's descriptor ({@code int}, {@code byte[]}). */
    private static String nameOf(Class<?> type) {
        return org.objectweb.asm.Type.getType(type).getClassName();
    }
}
