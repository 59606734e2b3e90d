package dev.voicetrace.agent.instrument.weave;

import java.util.List;
import java.util.Map;
import org.objectweb.asm.ClassReader;
import org.objectweb.asm.ClassVisitor;
import org.objectweb.asm.ClassWriter;
import org.objectweb.asm.MethodVisitor;
import org.objectweb.asm.Opcodes;
import org.objectweb.asm.commons.AnalyzerAdapter;

/**
 * Rewrites the methods of a class file that get advice and copies the others byte for byte.
 *
 * <p>Each method that gets advice is written on its own first, by a writer that computes its
 * stack map frames (the supertypes it needs are read by {@link ClassFiles}, never loaded), and
 * then copied into the class. That way only the woven methods' frames are computed, and a type
 * that cannot be found stops the weaving of this class rather than yielding code the JVM rejects.
 */
public final class MethodWeaving {

    private MethodWeaving() {}

    /**
     * @param plan the advice for each method, keyed by name and descriptor ({@code create(Ljava/lang/Object;)V})
     */
    public static byte[] weave(byte[] classFile, TypeShape type, ClassFiles classFiles, Map<String, List<Advice>> plan) {
        ClassReader reader = new ClassReader(classFile);
        ClassWriter out = new ClassWriter(reader, 0);
        reader.accept(new ClassVisitor(Opcodes.ASM9, out) {
            private int version;
            private int access;
            private String signature;
            private String superName;
            private String[] interfaces;

            @Override
            public void visit(int version, int access, String name, String signature, String superName,
                              String[] interfaces) {
                this.version = version;
                this.access = access;
                this.signature = signature;
                this.superName = superName;
                this.interfaces = interfaces;
                super.visit(version, access, name, signature, superName, interfaces);
            }

            @Override
            public MethodVisitor visitMethod(int methodAccess, String name, String descriptor, String methodSignature,
                                             String[] exceptions) {
                MethodVisitor target = super.visitMethod(methodAccess, name, descriptor, methodSignature, exceptions);
                List<Advice> advice = plan.get(name + descriptor);
                if (advice == null || target == null) {
                    return target;
                }
                boolean frames = (version & 0xFFFF) >= Opcodes.V1_6;
                ClassWriter single = new FrameComputingWriter(frames ? ClassWriter.COMPUTE_FRAMES : ClassWriter.COMPUTE_MAXS,
                        classFiles, type);
                single.visit(version, access, type.internalName(), signature, superName, interfaces);
                MethodVisitor woven = single.visitMethod(methodAccess, name, descriptor, methodSignature, exceptions);
                AdviceCode code = new AdviceCode(woven, type, methodAccess, name, descriptor, advice, () -> {
                    single.visitEnd();
                    copyMethod(single.toByteArray(), target);
                });
                AnalyzerAdapter stack = new AnalyzerAdapter(type.internalName(), methodAccess, name, descriptor, code);
                code.readStackFrom(stack);
                return stack;
            }
        }, ClassReader.EXPAND_FRAMES);
        return out.toByteArray();
    }

    /** Replays the one method of a class file into {@code target}. */
    private static void copyMethod(byte[] singleMethodClass, MethodVisitor target) {
        new ClassReader(singleMethodClass).accept(new ClassVisitor(Opcodes.ASM9) {
            @Override
            public MethodVisitor visitMethod(int access, String name, String descriptor, String signature,
                                             String[] exceptions) {
                return target;
            }
        }, 0);
    }

    /** Computes frames where two branches meet from the class files, not from loaded classes. */
    private static final class FrameComputingWriter extends ClassWriter {
        private final ClassFiles classFiles;
        private final TypeShape beingWoven;

        FrameComputingWriter(int flags, ClassFiles classFiles, TypeShape beingWoven) {
            super(flags);
            this.classFiles = classFiles;
            this.beingWoven = beingWoven;
        }

        @Override
        protected String getCommonSuperClass(String type1, String type2) {
            return classFiles.commonSuperClass(type1, type2, beingWoven);
        }
    }
}
