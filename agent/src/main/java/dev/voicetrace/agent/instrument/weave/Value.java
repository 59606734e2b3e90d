package dev.voicetrace.agent.instrument.weave;

/** What the woven code hands a hook method, parameter by parameter. */
public final class Value {

    enum Kind { THIS, ARGUMENT, ALL_ARGUMENTS, METHOD_NAME, DECLARING_CLASS, FIELD, CONSTANT, NULL, ENTERED, RETURNED, THROWN }

    /** The receiver; null in a static method. */
    public static final Value THIS = new Value(Kind.THIS, 0, null);
    /** A new {@code Object[]} of every argument, primitives boxed. */
    public static final Value ALL_ARGUMENTS = new Value(Kind.ALL_ARGUMENTS, 0, null);
    /** The intercepted method's name. */
    public static final Value METHOD_NAME = new Value(Kind.METHOD_NAME, 0, null);
    /** The class whose method it is, as a {@code Class}. */
    public static final Value DECLARING_CLASS = new Value(Kind.DECLARING_CLASS, 0, null);
    /** Nothing: null. */
    public static final Value NULL = new Value(Kind.NULL, 0, null);
    /** On exit: what the enter hook returned (null when it failed). */
    public static final Value ENTERED = new Value(Kind.ENTERED, 0, null);
    /** On exit: the return value, boxed; null for a void method or when the method threw. */
    public static final Value RETURNED = new Value(Kind.RETURNED, 0, null);
    /** On exit: what the method threw, or null. */
    public static final Value THROWN = new Value(Kind.THROWN, 0, null);

    final Kind kind;
    final int index;
    final String text;

    private Value(Kind kind, int index, String text) {
        this.kind = kind;
        this.index = index;
        this.text = text;
    }

    /** The argument at {@code index}, as the method has it when the hook runs. */
    public static Value argument(int index) {
        if (index < 0) {
            throw new IllegalArgumentException("argument index " + index);
        }
        return new Value(Kind.ARGUMENT, index, null);
    }

    /** A field of the receiver (or a static field of the class), read when the hook runs. */
    public static Value field(String name) {
        return new Value(Kind.FIELD, 0, name);
    }

    /** A string fixed when the advice is declared (an operation key, say). */
    public static Value constant(String value) {
        if (value == null) {
            throw new IllegalArgumentException("a null constant; use NULL");
        }
        return new Value(Kind.CONSTANT, 0, value);
    }

    @Override
    public String toString() {
        return kind + (kind == Kind.ARGUMENT ? "(" + index + ")" : text == null ? "" : "(" + text + ")");
    }
}
