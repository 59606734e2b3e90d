package dev.voicetrace.agent.instrument;

import dev.voicetrace.agent.AgentLog;
import dev.voicetrace.agent.instrument.weave.Advice;
import dev.voicetrace.agent.instrument.weave.ClassFiles;
import dev.voicetrace.agent.instrument.weave.Matcher;
import dev.voicetrace.agent.instrument.weave.MethodShape;
import dev.voicetrace.agent.instrument.weave.MethodWeaving;
import dev.voicetrace.agent.instrument.weave.TypeShape;
import java.lang.instrument.ClassFileTransformer;
import java.lang.instrument.Instrumentation;
import java.security.ProtectionDomain;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.BiConsumer;

/**
 * Weaves advice (calls to the agent's bootstrap hooks, see {@link Advice}) into the methods of the
 * classes its rules match. Types are described from their class files ({@link TypeShape}) and
 * woven with ASM alone: only the methods that get advice are rewritten, every other method is
 * copied as it is. Classes are only decorated (no member is added), so the JVM can retransform them.
 *
 * <p>A class that cannot be woven loads unchanged and is reported once through the error handler.
 * A class loaded while this thread is weaving another (a class loader reading a resource, say) is
 * left alone, so that weaving never re-enters itself.
 */
public final class AdviceWeaver implements ClassFileTransformer {

    /** Whether a rule applies to a type, given the loader that defines it (null for the boot loader). */
    public interface TypeRule {
        boolean matches(TypeShape type, ClassLoader loader);
    }

    private static final ThreadLocal<Boolean> WEAVING = new ThreadLocal<>();

    private final List<Rule> rules = new ArrayList<>();
    private final BiConsumer<String, Throwable> onError;
    private Instrumentation readEdges;
    private Module readEdgeTarget;

    /**
     * @param onError told the name of a class that could not be woven and why; it runs untraced
     */
    public AdviceWeaver(BiConsumer<String, Throwable> onError) {
        this.onError = onError;
    }

    /** A weaver whose failures are logged once per class, saying what runs untraced. */
    public static AdviceWeaver loggingFailures(String untraced) {
        return new AdviceWeaver((typeName, failure) -> AgentLog.warnOnce("instrument-error:" + typeName,
                "could not instrument " + typeName + "; " + untraced + ": " + failure));
    }

    /** Adds a rule for the types {@code types} matches; its advice is added to the rule returned. */
    public Rule forTypes(Matcher<? super TypeShape> types) {
        return forTypes(null, (type, loader) -> types.matches(type));
    }

    public Rule forTypes(TypeRule types) {
        return forTypes(null, types);
    }

    /**
     * Adds a rule for the types {@code types} matches among those whose name {@code names} accepts
     * (shown a type known by its name alone; null for every name). A class whose name no rule
     * accepts is not read at all: most classes a library's weaver is shown (its models, say) are
     * never woven, and reading each class file would cost more than everything else it does.
     */
    public Rule forTypes(Matcher<? super TypeShape> names, TypeRule types) {
        Rule rule = new Rule(names, types);
        rules.add(rule);
        return rule;
    }

    /**
     * Makes the named module of every class woven read {@code target}'s module: advice woven into
     * a JDK class calls the agent's bootstrap classes, which live in the boot loader's unnamed module.
     */
    public AdviceWeaver withReadEdgeTo(Instrumentation instrumentation, Class<?> target) {
        this.readEdges = instrumentation;
        this.readEdgeTarget = target.getModule();
        return this;
    }

    /** Whether some rule applies to this loaded class (for retransforming the classes already loaded). */
    public boolean appliesTo(Class<?> type) {
        try {
            if (!someRuleAcceptsName(type.getName())) {
                return false;
            }
            TypeShape shape = ClassFiles.of(type.getClassLoader()).find(type.getName());
            return shape != null && !matching(shape, type.getClassLoader()).isEmpty();
        } catch (RuntimeException | LinkageError e) {
            return false;
        }
    }

    @Override
    public byte[] transform(Module module, ClassLoader loader, String className, Class<?> classBeingRedefined,
                            ProtectionDomain protectionDomain, byte[] classfileBuffer) {
        if (className == null || WEAVING.get() != null) {
            return null;
        }
        String typeName = className.replace('/', '.');
        WEAVING.set(Boolean.TRUE);
        try {
            return weave(module, loader, typeName, classfileBuffer);
        } catch (Throwable failure) {
            onError.accept(typeName, failure);
            return null;
        } finally {
            WEAVING.remove();
        }
    }

    private byte[] weave(Module module, ClassLoader loader, String typeName, byte[] classFile) {
        if (!someRuleAcceptsName(typeName)) {
            return null;
        }
        ClassFiles classFiles = ClassFiles.of(loader);
        TypeShape type = classFiles.describe(classFile);
        List<Rule> matched = matching(type, loader);
        if (matched.isEmpty()) {
            return null;
        }
        Map<String, List<Advice>> plan = new LinkedHashMap<>();
        boolean[] used = new boolean[matched.size()];
        for (MethodShape method : type.methods()) {
            if ((method.modifiers() & (org.objectweb.asm.Opcodes.ACC_ABSTRACT | org.objectweb.asm.Opcodes.ACC_NATIVE)) != 0) {
                continue;
            }
            for (int i = 0; i < matched.size(); i++) {
                for (MethodAdvice advice : matched.get(i).advice) {
                    if (advice.methods.matches(method)) {
                        plan.computeIfAbsent(method.name() + method.descriptor(), key -> new ArrayList<>(2))
                                .add(advice.advice);
                        used[i] = true;
                    }
                }
            }
        }
        for (int i = 0; i < matched.size(); i++) {
            String unsupported = matched.get(i).unsupported;
            if (!used[i] && unsupported != null) {
                AgentLog.warnOnce("unsupported:" + type.name(), unsupported);
            }
        }
        if (plan.isEmpty()) {
            return null;
        }
        byte[] woven = MethodWeaving.weave(classFile, type, classFiles, plan);
        if (readEdges != null && module != null && module.isNamed() && !module.canRead(readEdgeTarget)) {
            readEdges.redefineModule(module, Collections.singleton(readEdgeTarget), Collections.emptyMap(),
                    Collections.emptyMap(), Collections.emptySet(), Collections.emptyMap());
        }
        AgentLog.debug("instrumented " + type.name());
        return woven;
    }

    /**
     * Whether some rule's name filter accepts the type of this (binary) name: a type no rule
     * accepts by name is never woven, whatever its class file holds.
     */
    public boolean acceptsName(String typeName) {
        return someRuleAcceptsName(typeName);
    }

    private boolean someRuleAcceptsName(String typeName) {
        TypeShape named = null;
        for (Rule rule : rules) {
            if (rule.names == null) {
                return true;
            }
            if (named == null) {
                named = TypeShape.named(typeName);
            }
            if (rule.names.matches(named)) {
                return true;
            }
        }
        return false;
    }

    private List<Rule> matching(TypeShape type, ClassLoader loader) {
        List<Rule> matched = Collections.emptyList();
        for (Rule rule : rules) {
            if (rule.types.matches(type, loader)) {
                if (matched.isEmpty()) {
                    matched = new ArrayList<>(2);
                }
                matched.add(rule);
            }
        }
        return matched;
    }

    /** The advice woven into the types one rule matches, in the order it was added. */
    public static final class Rule {
        /** Null: every name. */
        final Matcher<? super TypeShape> names;
        final TypeRule types;
        final List<MethodAdvice> advice = new ArrayList<>();
        String unsupported;

        Rule(Matcher<? super TypeShape> names, TypeRule types) {
            this.names = names;
            this.types = types;
        }

        /**
         * The warning logged (once per class) when a type this rule matches has none of the
         * methods its advice is for: a class known by name whose other version changed them.
         */
        public Rule warnIfNoMethodMatches(String warning) {
            this.unsupported = warning;
            return this;
        }

        /** Weaves {@code advice} into the methods matched. */
        public Rule advise(Matcher<? super MethodShape> methods, Advice advice) {
            this.advice.add(new MethodAdvice(methods, advice));
            return this;
        }
    }

    private static final class MethodAdvice {
        final Matcher<? super MethodShape> methods;
        final Advice advice;

        MethodAdvice(Matcher<? super MethodShape> methods, Advice advice) {
            this.methods = methods;
            this.advice = advice;
        }
    }
}
