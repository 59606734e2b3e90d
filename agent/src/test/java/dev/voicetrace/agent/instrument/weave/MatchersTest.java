package dev.voicetrace.agent.instrument.weave;

import static dev.voicetrace.agent.instrument.weave.Matchers.hasSuperType;
import static dev.voicetrace.agent.instrument.weave.Matchers.isAbstract;
import static dev.voicetrace.agent.instrument.weave.Matchers.isBridge;
import static dev.voicetrace.agent.instrument.weave.Matchers.isConstructor;
import static dev.voicetrace.agent.instrument.weave.Matchers.isDeclaredBy;
import static dev.voicetrace.agent.instrument.weave.Matchers.isInterface;
import static dev.voicetrace.agent.instrument.weave.Matchers.isPrivate;
import static dev.voicetrace.agent.instrument.weave.Matchers.isPublic;
import static dev.voicetrace.agent.instrument.weave.Matchers.named;
import static dev.voicetrace.agent.instrument.weave.Matchers.namedOneOf;
import static dev.voicetrace.agent.instrument.weave.Matchers.not;
import static dev.voicetrace.agent.instrument.weave.Matchers.returns;
import static dev.voicetrace.agent.instrument.weave.Matchers.takesArgument;
import static dev.voicetrace.agent.instrument.weave.Matchers.takesArguments;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import java.util.function.Supplier;
import org.junit.jupiter.api.Test;

/** Types and methods described from their class files, and the matchers the modules pick them with. */
class MatchersTest {

    interface Named {
        String name();
    }

    public abstract static class Service implements Named, Supplier<String> {
        public abstract String call(String prompt);
    }

    public static class Chat extends Service {
        @Override
        public String call(String prompt) {
            return prompt;
        }

        @Override
        public String name() {
            return "chat";
        }

        @Override
        public String get() {
            return "value";
        }

        private long stream(int count, byte[] data, List<String> parts) {
            return count;
        }
    }

    private final ClassFiles classFiles = ClassFiles.of(getClass().getClassLoader());

    private TypeShape chat() {
        return classFiles.find(Chat.class.getName());
    }

    private MethodShape method(TypeShape type, String name, Class<?>... parameters) {
        for (MethodShape method : type.methods()) {
            if (method.name().equals(name) && Matchers.takesArguments(parameters).matches(method)) {
                return method;
            }
        }
        throw new AssertionError(type + " has no " + name);
    }

    @Test
    void supertypesAreFoundThroughClassesAndInterfacesReadFromTheLoader() {
        TypeShape chat = chat();

        assertTrue(hasSuperType(named(Service.class.getName())).matches(chat));
        assertTrue(hasSuperType(named(Named.class.getName())).matches(chat));
        assertTrue(hasSuperType(named("java.util.function.Supplier")).matches(chat));
        assertTrue(hasSuperType(named("java.lang.Object")).matches(chat));
        assertTrue(hasSuperType(named(Chat.class.getName())).matches(chat), "the type itself counts");
        assertFalse(hasSuperType(named("java.lang.Runnable")).matches(chat));
        assertFalse(isInterface().matches(chat));
        assertTrue(isInterface().matches(classFiles.find(Named.class.getName())));
        assertTrue(isAbstract().matches(classFiles.find(Service.class.getName())));
    }

    @Test
    void aSupertypeOutsideTheLoadersViewIsKnownByItsNameOnly() {
        TypeShape orphan = TypeShape.of("com.example.Orphan", 1, "com.example.Missing", "com.example.Api");

        assertTrue(hasSuperType(named("com.example.Api")).matches(orphan));
        assertTrue(hasSuperType(named("com.example.Missing")).matches(orphan));
        assertNull(classFiles.find("com.example.Missing"));
    }

    @Test
    void methodsAreMatchedByNameArgumentsReturnAndModifiers() {
        TypeShape chat = chat();
        MethodShape call = method(chat, "call", String.class);
        MethodShape stream = method(chat, "stream", int.class, byte[].class, List.class);

        assertTrue(named("call").and(takesArguments(1)).and(isPublic()).and(not(isAbstract())).matches(call));
        assertTrue(takesArgument(0, String.class).and(returns(String.class)).matches(call));
        assertTrue(takesArgument(0, named("java.lang.String")).and(returns(named("java.lang.String"))).matches(call));
        assertTrue(isDeclaredBy(named(Chat.class.getName())).matches(call));
        assertTrue(takesArgument(0, int.class).and(takesArgument(1, byte[].class)).and(takesArgument(2, List.class))
                .and(returns(long.class)).and(isPrivate()).matches(stream));
        assertFalse(takesArgument(3, Object.class).matches(stream), "no fourth argument");
        assertFalse(namedOneOf("get", "name").matches(call));
    }

    @Test
    void bridgesConstructorsAndTypeInitialisersAreTold() {
        TypeShape chat = chat();
        List<String> bridges = new ArrayList<>();
        for (MethodShape method : chat.methods()) {
            if (isBridge().matches(method)) {
                bridges.add(method.name() + method.descriptor());
            }
        }

        // Supplier<String>.get() erases to Object get(): javac adds a bridge to String get()
        assertEquals(List.of("get()Ljava/lang/Object;"), bridges);
        assertTrue(isConstructor().matches(method(chat, "<init>")));
        assertFalse(isConstructor().matches(method(chat, "call", String.class)));
    }

    @Test
    void theClosestCommonClassIsReadFromClassFiles() {
        assertEquals(internal(Service.class),
                classFiles.commonSuperClass(internal(Chat.class), internal(Service.class), null));
        assertEquals("java/lang/Object", classFiles.commonSuperClass(internal(Chat.class), "java/lang/String", null));
        assertEquals("java/lang/Object", classFiles.commonSuperClass(internal(Named.class), internal(Chat.class), null),
                "an interface meets anything at Object, as the verifier sees it");
        assertThrows(TypeNotPresentException.class,
                () -> classFiles.commonSuperClass(internal(Chat.class), "com/example/Missing", null));
    }

    private static String internal(Class<?> type) {
        return type.getName().replace('.', '/');
    }
}
