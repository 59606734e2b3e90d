package dev.voicetrace.agent.instrument.weave;

/** A type or a method as the weaver's matchers see it: a name and the class file's access flags. */
public interface NamedElement {

    /** A type's binary name ({@code java.lang.String}, {@code a.Outer$Inner}); a method's own name. */
    String name();

    /** The access flags of the class file ({@code ACC_PUBLIC}, {@code ACC_ABSTRACT}, ...). */
    int modifiers();
}
