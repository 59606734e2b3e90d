package dev.voicetrace.agent.instrument.weave;

import java.lang.reflect.Method;
import java.lang.reflect.Modifier;
import org.objectweb.asm.Type;

/**
 * What is woven into a method: a call to a static hook method on entry, one on exit, or both.
 * The hooks are the agent's bootstrap classes, which every class loader sees; the woven code
 * only loads values and calls them, and anything a hook throws is caught and dropped there, so
 * that the method goes on as if it had not been woven.
 *
 * <p>Declared once, checked at once: a hook that does not exist, or values it cannot take, fail
 * here, when the agent is built, rather than when a class is woven.
 */
public final class Advice {

    final Hook enter;
    final Hook exit;
    final boolean exitOnThrowable;
    final boolean exitOnlyWhenEntered;
    final boolean replacesReturn;
    final boolean writesArguments;

    private Advice(Hook enter, Hook exit, boolean exitOnThrowable, boolean exitOnlyWhenEntered, boolean replacesReturn,
                   boolean writesArguments) {
        this.enter = enter;
        this.exit = exit;
        this.exitOnThrowable = exitOnThrowable;
        this.exitOnlyWhenEntered = exitOnlyWhenEntered;
        this.replacesReturn = replacesReturn;
        this.writesArguments = writesArguments;
        check();
    }

    /** Calls {@code hooks.method(values...)} on entry; what it returns (if anything) is {@link Value#ENTERED} on exit. */
    public static Advice onEnter(Class<?> hooks, String method, Value... values) {
        return new Advice(Hook.of(hooks, method, values), null, false, false, false, false);
    }

    /** Calls {@code hooks.method(values...)} when the method returns. */
    public static Advice onExit(Class<?> hooks, String method, Value... values) {
        return new Advice(null, Hook.of(hooks, method, values), false, false, false, false);
    }

    /** This advice, with an exit hook too. */
    public Advice andOnExit(Class<?> hooks, String method, Value... values) {
        return new Advice(enter, Hook.of(hooks, method, values), exitOnThrowable, exitOnlyWhenEntered, replacesReturn,
                writesArguments);
    }

    /** The exit hook also runs when the method throws (the exception is rethrown after it). */
    public Advice alsoOnThrowable() {
        return new Advice(enter, exit, true, exitOnlyWhenEntered, replacesReturn, writesArguments);
    }

    /** The exit hook runs only when the enter hook returned something other than null. */
    public Advice exitOnlyWhenEntered() {
        return new Advice(enter, exit, exitOnThrowable, true, replacesReturn, writesArguments);
    }

    /** What the exit hook returns becomes the method's return value (cast or unboxed to its type). */
    public Advice replacingReturn() {
        return new Advice(enter, exit, exitOnThrowable, exitOnlyWhenEntered, true, writesArguments);
    }

    /**
     * The elements of the {@link Value#ALL_ARGUMENTS} array the enter hook got are written back to
     * the method's parameters after it returns: the hook may replace an argument.
     */
    public Advice writingArgumentsBack() {
        return new Advice(enter, exit, exitOnThrowable, exitOnlyWhenEntered, replacesReturn, true);
    }

    private void check() {
        if (enter != null) {
            enter.refuse(Value.Kind.ENTERED, "on entry");
            enter.refuse(Value.Kind.RETURNED, "on entry");
            enter.refuse(Value.Kind.THROWN, "on entry");
        }
        if (exit != null && (enter == null || enter.returnType.getSort() == Type.VOID)) {
            exit.refuse(Value.Kind.ENTERED, "without an enter hook that returns a value");
        }
        if (exitOnlyWhenEntered && (enter == null || enter.returnType.getSort() == Type.VOID)) {
            throw new IllegalArgumentException("exit only when entered, but no enter hook returns a value");
        }
        if ((exitOnThrowable || exitOnlyWhenEntered || replacesReturn) && exit == null) {
            throw new IllegalArgumentException("an exit option without an exit hook");
        }
        if (replacesReturn && !exit.returnType.equals(Type.getType(Object.class))) {
            throw new IllegalArgumentException(exit + " must return Object to replace the return value");
        }
        if (writesArguments && (enter == null || !enter.uses(Value.Kind.ALL_ARGUMENTS))) {
            throw new IllegalArgumentException("arguments written back, but the enter hook does not take them all");
        }
        if (enter != null && enter.returnType.getSort() != Type.VOID && enter.returnType.getSort() != Type.OBJECT) {
            throw new IllegalArgumentException(enter + " must return an object or nothing");
        }
    }

    /** One static hook method and the values it is called with. */
    static final class Hook {
        final String owner;
        final String name;
        final String descriptor;
        final Type[] parameterTypes;
        final Type returnType;
        final Value[] values;

        private Hook(Method method, Value[] values) {
            this.owner = Type.getInternalName(method.getDeclaringClass());
            this.name = method.getName();
            this.descriptor = Type.getMethodDescriptor(method);
            this.parameterTypes = Type.getArgumentTypes(method);
            this.returnType = Type.getReturnType(method);
            this.values = values.clone();
        }

        static Hook of(Class<?> hooks, String name, Value[] values) {
            Method found = null;
            for (Method method : hooks.getMethods()) {
                if (method.getName().equals(name) && method.getParameterCount() == values.length
                        && Modifier.isStatic(method.getModifiers())) {
                    if (found != null) {
                        throw new IllegalArgumentException("more than one " + hooks.getName() + "." + name
                                + " takes " + values.length + " values");
                    }
                    found = method;
                }
            }
            if (found == null) {
                throw new IllegalArgumentException("no public static " + hooks.getName() + "." + name + " takes "
                        + values.length + " values");
            }
            Hook hook = new Hook(found, values);
            for (int i = 0; i < values.length; i++) {
                Type parameter = hook.parameterTypes[i];
                boolean primitive = parameter.getSort() != Type.OBJECT && parameter.getSort() != Type.ARRAY;
                Value.Kind kind = values[i].kind;
                if (primitive && kind != Value.Kind.ARGUMENT && kind != Value.Kind.FIELD) {
                    throw new IllegalArgumentException(hook + " cannot take " + values[i] + " as a " + parameter.getClassName());
                }
            }
            return hook;
        }

        boolean uses(Value.Kind kind) {
            for (Value value : values) {
                if (value.kind == kind) {
                    return true;
                }
            }
            return false;
        }

        void refuse(Value.Kind kind, String where) {
            if (uses(kind)) {
                throw new IllegalArgumentException(this + " cannot take " + kind + " " + where);
            }
        }

        @Override
        public String toString() {
            return owner.replace('/', '.') + "." + name;
        }
    }
}
