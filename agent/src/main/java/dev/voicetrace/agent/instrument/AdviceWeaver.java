package dev.voicetrace.agent.instrument;

import dev.voicetrace.agent.AgentLog;
import java.lang.instrument.ClassFileTransformer;
import java.lang.instrument.Instrumentation;
import java.security.ProtectionDomain;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.function.BiConsumer;
import net.bytebuddy.ByteBuddy;
import net.bytebuddy.asm.Advice;
import net.bytebuddy.asm.AsmVisitorWrapper;
import net.bytebuddy.description.method.MethodDescription;
import net.bytebuddy.description.type.TypeDescription;
import net.bytebuddy.dynamic.ClassFileLocator;
import net.bytebuddy.dynamic.DynamicType;
import net.bytebuddy.dynamic.TypeResolutionStrategy;
import net.bytebuddy.dynamic.scaffold.MethodGraph;
import net.bytebuddy.dynamic.scaffold.TypeValidation;
import net.bytebuddy.implementation.Implementation;
import net.bytebuddy.implementation.bytecode.assign.Assigner;
import net.bytebuddy.matcher.ElementMatcher;
import net.bytebuddy.pool.TypePool;

/**
 * Inlines advice classes into the methods of the classes it is shown, with Byte Buddy's type pool
 * and {@link Advice}, but without its agent builder.
 *
 * <p>The agent builder brings much the agent does not use (redefinition strategies, listeners,
 * class injection, lambda instrumentation) and, on its first use in a JVM, generates a class of
 * its own to receive the JVM's module-aware callback: some 330 more classes loaded, and CPU spent
 * while the application's first SDK class waits. The agent's transformers
 * already decide by name which classes to look at ({@link LazyInstallation}, {@link NamedClasses}),
 * so what is left to do is this: describe the class, ask each rule whether it applies, and weave.
 * Classes are only decorated (no member is added), so the JVM can retransform them.
 *
 * <p>A class that cannot be woven loads unchanged and is reported once through the error handler.
 * A class loaded while this thread is weaving another (a class loader reading a resource, say) is
 * left alone, so that weaving never re-enters itself.
 */
public final class AdviceWeaver implements ClassFileTransformer {

    /** Whether a rule applies to a type, given the loader that defines it (null for the boot loader). */
    public interface TypeRule {
        boolean matches(TypeDescription type, ClassLoader loader);
    }

    /**
     * Decorating a class with advice on its own methods needs neither the graph of every method it
     * inherits nor a check of members it does not add.
     */
    private static final ByteBuddy BYTE_BUDDY = new ByteBuddy()
            .with(TypeValidation.DISABLED)
            .with(MethodGraph.Compiler.ForDeclaredMethods.INSTANCE)
            .with(Implementation.Context.Disabled.Factory.INSTANCE);
    private static final ThreadLocal<Boolean> WEAVING = new ThreadLocal<>();

    private final List<Rule> rules = new ArrayList<>();
    private final ClassFileLocator adviceClasses;
    private final BiConsumer<String, Throwable> onError;
    private Instrumentation readEdges;
    private Module readEdgeTarget;

    /**
     * @param onError told the name of a class that could not be woven and why; it runs untraced
     */
    public AdviceWeaver(BiConsumer<String, Throwable> onError) {
        this.adviceClasses = ClassFileLocator.ForClassLoader.of(AdviceWeaver.class.getClassLoader());
        this.onError = onError;
    }

    /** A weaver whose failures are logged once per class, saying what runs untraced. */
    public static AdviceWeaver loggingFailures(String untraced) {
        return new AdviceWeaver((typeName, failure) -> AgentLog.warnOnce("instrument-error:" + typeName,
                "could not instrument " + typeName + "; " + untraced + ": " + failure));
    }

    /** Adds a rule for the types {@code types} matches; its advice is added to the rule returned. */
    public Rule forTypes(ElementMatcher<? super TypeDescription> types) {
        return forTypes((type, loader) -> types.matches(type));
    }

    public Rule forTypes(TypeRule types) {
        Rule rule = new Rule(types);
        rules.add(rule);
        return rule;
    }

    /**
     * Makes the named module of every class woven read {@code target}'s module: advice inlined into
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
            return !matching(TypeDescription.ForLoadedType.of(type), type.getClassLoader()).isEmpty();
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
            return weave(module, loader, typeName, classBeingRedefined, classfileBuffer);
        } catch (Throwable failure) {
            onError.accept(typeName, failure);
            return null;
        } finally {
            WEAVING.remove();
        }
    }

    private byte[] weave(Module module, ClassLoader loader, String typeName, Class<?> loaded, byte[] classFile) {
        ClassFileLocator loaderClasses = ClassFileLocator.ForClassLoader.of(loader);
        ClassFileLocator classFiles = new ClassFileLocator.Compound(ClassFileLocator.Simple.of(typeName, classFile),
                loaderClasses);
        TypePool types = pool(classFiles);
        TypeDescription type = loaded == null ? types.describe(typeName).resolve() : TypeDescription.ForLoadedType.of(loaded);
        List<Rule> matched = matching(type, loader);
        if (matched.isEmpty()) {
            return null;
        }
        // The advice classes are the agent's; the types their signatures name may be the application's.
        ClassFileLocator adviceFiles = new ClassFileLocator.Compound(adviceClasses, loaderClasses);
        TypePool adviceTypes = pool(adviceFiles);
        DynamicType.Builder<?> builder = BYTE_BUDDY.decorate(type, classFiles);
        for (Rule rule : matched) {
            for (MethodAdvice advice : rule.advice) {
                builder = builder.visit(new AsmVisitorWrapper.ForDeclaredMethods().invokable(advice.methods,
                        advice.mapping.to(adviceTypes.describe(advice.adviceClass).resolve(), adviceFiles)
                                .withAssigner(Assigner.DEFAULT)
                                .withExceptionHandler(Advice.ExceptionHandler.Default.SUPPRESSING)));
            }
        }
        byte[] woven = builder.make(TypeResolutionStrategy.Disabled.INSTANCE, types).getBytes();
        if (readEdges != null && module != null && module.isNamed() && !module.canRead(readEdgeTarget)) {
            readEdges.redefineModule(module, Collections.singleton(readEdgeTarget), Collections.emptyMap(),
                    Collections.emptyMap(), Collections.emptySet(), Collections.emptyMap());
        }
        AgentLog.debug("instrumented " + typeName);
        return woven;
    }

    private List<Rule> matching(TypeDescription type, ClassLoader loader) {
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

    /** A pool that describes a type's members only as they are asked for, and skips debug information. */
    private static TypePool pool(ClassFileLocator classFiles) {
        return new TypePool.Default.WithLazyResolution(TypePool.CacheProvider.Simple.withObjectType(), classFiles,
                TypePool.Default.ReaderMode.FAST);
    }

    /** The advice woven into the types one rule matches, in the order it was added. */
    public static final class Rule {
        final TypeRule types;
        final List<MethodAdvice> advice = new ArrayList<>();

        Rule(TypeRule types) {
            this.types = types;
        }

        /** Inlines the advice class named (one of the agent's) into the methods matched. */
        public Rule advise(ElementMatcher<? super MethodDescription> methods, String adviceClass) {
            return advise(methods, adviceClass, Advice.withCustomMapping());
        }

        /** As {@link #advise(ElementMatcher, String)}, with values bound to the advice's own annotations. */
        public Rule advise(ElementMatcher<? super MethodDescription> methods, String adviceClass,
                           Advice.WithCustomMapping mapping) {
            advice.add(new MethodAdvice(methods, adviceClass, mapping));
            return this;
        }
    }

    private static final class MethodAdvice {
        final ElementMatcher<? super MethodDescription> methods;
        final String adviceClass;
        final Advice.WithCustomMapping mapping;

        MethodAdvice(ElementMatcher<? super MethodDescription> methods, String adviceClass,
                     Advice.WithCustomMapping mapping) {
            this.methods = methods;
            this.adviceClass = adviceClass;
            this.mapping = mapping;
        }
    }
}
