package dev.voicetrace.agent.instrument.weave;

import java.util.ArrayList;
import java.util.List;
import org.objectweb.asm.Label;
import org.objectweb.asm.MethodVisitor;
import org.objectweb.asm.Opcodes;
import org.objectweb.asm.Type;
import org.objectweb.asm.TypePath;
import org.objectweb.asm.commons.AnalyzerAdapter;

/**
 * Rewrites one method's code with its advice: the enter hooks first, the exit hooks before every
 * return and, where asked, in a handler that catches what the method throws and rethrows it.
 *
 * <p>The woven code keeps its values (the enter hooks' results, the return value, the exception)
 * in locals placed right after the parameters; the method's own locals move up to make room.
 * Every hook call is wrapped in a handler that drops whatever it throws. Those handlers come
 * first in the exception table, so that a hook's failure is never seen by the method's own
 * {@code catch} blocks around a {@code return}; the catch-all for exit hooks comes last, so that
 * the method's own handlers still see its exceptions first. Stack map frames are not kept: the
 * writer this feeds computes them anew.
 *
 * <p>A {@code return} may leave values below the one it returns on the operand stack (Kotlin's
 * coroutines do); the JVM discards them. The exit code at such a return first drops them, as its
 * handlers would: where a handler's path and the normal path meet, the stack must be the same.
 * What is on the stack is told by an {@link AnalyzerAdapter} that sees the method's original code
 * before this does.
 */
final class AdviceCode extends MethodVisitor {

    private static final String THROWABLE = "java/lang/Throwable";
    private static final Type OBJECT = Type.getType(Object.class);

    private final TypeShape owner;
    private final String methodName;
    private final boolean isStatic;
    private final Type[] argumentTypes;
    private final Type returnType;
    private final List<Advice> advice;
    private final Runnable whenDone;

    private final int firstFree;
    private final int extra;
    private final int[] enterLocals;
    private final int[] argumentsLocals;
    private final int returnLocal;
    private final int thrownLocal;
    private final boolean catchesThrowable;
    private final boolean hasExit;

    private final List<Object[]> ownHandlers = new ArrayList<>();
    private final List<Object[]> originalHandlers = new ArrayList<>();
    private final List<Label[]> guardedSegments = new ArrayList<>();
    private Label segmentStart;
    private AnalyzerAdapter stack;

    /**
     * @throws IllegalStateException when the advice cannot go on this method (enter advice, or exit
     *     advice on exceptions, on a constructor, where the receiver is not yet initialised)
     */
    AdviceCode(MethodVisitor target, TypeShape owner, int access, String name, String descriptor, List<Advice> advice,
               Runnable whenDone) {
        super(Opcodes.ASM9, target);
        this.owner = owner;
        this.methodName = name;
        this.isStatic = (access & Opcodes.ACC_STATIC) != 0;
        this.argumentTypes = Type.getArgumentTypes(descriptor);
        this.returnType = Type.getReturnType(descriptor);
        this.advice = advice;
        this.whenDone = whenDone;
        int next = isStatic ? 0 : 1;
        for (Type argument : argumentTypes) {
            next += argument.getSize();
        }
        this.firstFree = next;
        this.enterLocals = new int[advice.size()];
        this.argumentsLocals = new int[advice.size()];
        boolean throwable = false;
        boolean exit = false;
        for (int i = 0; i < advice.size(); i++) {
            Advice each = advice.get(i);
            if ("<init>".equals(name) && (each.enter != null || each.exitOnThrowable)) {
                throw new IllegalStateException("a constructor takes exit advice only, and not on exceptions: "
                        + owner.name() + "#<init>");
            }
            enterLocals[i] = each.enter != null && each.enter.returnType.getSort() != Type.VOID ? next++ : -1;
            argumentsLocals[i] = each.writesArguments ? next++ : -1;
            throwable |= each.exitOnThrowable;
            exit |= each.exit != null;
        }
        this.hasExit = exit;
        this.returnLocal = exit && returnType.getSort() != Type.VOID ? next : -1;
        next += exit ? returnType.getSize() : 0;
        this.catchesThrowable = throwable;
        this.thrownLocal = throwable ? next++ : -1;
        this.extra = next - firstFree;
    }

    /** The tracker of the original code's operand stack, which hands this its instructions. */
    void readStackFrom(AnalyzerAdapter analyzer) {
        this.stack = analyzer;
    }

    @Override
    public void visitCode() {
        super.visitCode();
        for (int i = 0; i < advice.size(); i++) {
            if (advice.get(i).enter != null) {
                enter(i);
            }
        }
        if (catchesThrowable) {
            segmentStart = new Label();
            super.visitLabel(segmentStart);
        }
    }

    @Override
    public void visitInsn(int opcode) {
        if (hasExit && opcode >= Opcodes.IRETURN && opcode <= Opcodes.RETURN) {
            if (catchesThrowable) {
                closeSegment();
            }
            if (returnLocal >= 0) {
                super.visitVarInsn(returnType.getOpcode(Opcodes.ISTORE), returnLocal);
            }
            dropValuesBelowTheReturnedOne();
            for (int i = advice.size() - 1; i >= 0; i--) {
                if (advice.get(i).exit != null) {
                    exit(i, true);
                }
            }
            if (returnLocal >= 0) {
                super.visitVarInsn(returnType.getOpcode(Opcodes.ILOAD), returnLocal);
            }
            super.visitInsn(opcode);
            if (catchesThrowable) {
                segmentStart = new Label();
                super.visitLabel(segmentStart);
            }
            return;
        }
        super.visitInsn(opcode);
    }

    @Override
    public void visitTryCatchBlock(Label start, Label end, Label handler, String type) {
        originalHandlers.add(new Object[] {start, end, handler, type, new ArrayList<Object[]>()});
    }

    @Override
    @SuppressWarnings("unchecked")
    public org.objectweb.asm.AnnotationVisitor visitTryCatchAnnotation(int typeRef, TypePath typePath, String descriptor,
                                                                       boolean visible) {
        // Kept with its block and replayed after it; its values are not needed by the woven code.
        if (originalHandlers.isEmpty()) {
            return null;
        }
        ((List<Object[]>) originalHandlers.get(originalHandlers.size() - 1)[4])
                .add(new Object[] {typeRef, typePath, descriptor, visible});
        return null;
    }

    @Override
    public void visitVarInsn(int opcode, int varIndex) {
        super.visitVarInsn(opcode, moved(varIndex));
        if (opcode >= Opcodes.ISTORE && opcode <= Opcodes.ASTORE && (catchesThrowable || !originalHandlers.isEmpty())) {
            // A handler's frame must merge the locals at every instruction of its range. The writer
            // gets there by starting a basic block after each store, but only while it already
            // knows of a handler; it learns of the method's own handlers only at the end here
            // (see visitMaxs), so the blocks are started for it.
            super.visitLabel(new Label());
        }
    }

    @Override
    public void visitIincInsn(int varIndex, int increment) {
        super.visitIincInsn(moved(varIndex), increment);
    }

    @Override
    public void visitLocalVariable(String name, String descriptor, String signature, Label start, Label end, int index) {
        super.visitLocalVariable(name, descriptor, signature, start, end, moved(index));
    }

    @Override
    public org.objectweb.asm.AnnotationVisitor visitLocalVariableAnnotation(int typeRef, TypePath typePath, Label[] start,
                                                                            Label[] end, int[] index, String descriptor,
                                                                            boolean visible) {
        int[] movedIndex = new int[index.length];
        for (int i = 0; i < index.length; i++) {
            movedIndex[i] = moved(index[i]);
        }
        return super.visitLocalVariableAnnotation(typeRef, typePath, start, end, movedIndex, descriptor, visible);
    }

    @Override
    public void visitFrame(int type, int numLocal, Object[] local, int numStack, Object[] stack) {
        // Recomputed by the writer for the code as woven.
    }

    @Override
    public void visitMaxs(int maxStack, int maxLocals) {
        Label handler = null;
        if (catchesThrowable) {
            closeSegment();
            handler = new Label();
            super.visitLabel(handler);
            super.visitVarInsn(Opcodes.ASTORE, thrownLocal);
            for (int i = advice.size() - 1; i >= 0; i--) {
                if (advice.get(i).exit != null && advice.get(i).exitOnThrowable) {
                    exit(i, false);
                }
            }
            super.visitVarInsn(Opcodes.ALOAD, thrownLocal);
            super.visitInsn(Opcodes.ATHROW);
        }
        for (Object[] own : ownHandlers) {
            super.visitTryCatchBlock((Label) own[0], (Label) own[1], (Label) own[2], THROWABLE);
        }
        for (Object[] original : originalHandlers) {
            super.visitTryCatchBlock((Label) original[0], (Label) original[1], (Label) original[2], (String) original[3]);
            @SuppressWarnings("unchecked")
            List<Object[]> annotations = (List<Object[]>) original[4];
            for (Object[] annotation : annotations) {
                org.objectweb.asm.AnnotationVisitor visitor = super.visitTryCatchAnnotation((Integer) annotation[0],
                        (TypePath) annotation[1], (String) annotation[2], (Boolean) annotation[3]);
                if (visitor != null) {
                    visitor.visitEnd();
                }
            }
        }
        for (Label[] segment : guardedSegments) {
            if (segment[0].getOffset() < segment[1].getOffset()) {
                super.visitTryCatchBlock(segment[0], segment[1], handler, null);
            }
        }
        super.visitMaxs(maxStack, maxLocals + extra);
    }

    @Override
    public void visitEnd() {
        super.visitEnd();
        whenDone.run();
    }

    /**
     * Pops what the original code left on the stack below the return value (already stored). The
     * tracker lists a {@code long} or {@code double} as the type followed by {@code TOP}.
     */
    private void dropValuesBelowTheReturnedOne() {
        List<Object> values = stack == null ? null : stack.stack;
        if (values == null) {
            return;
        }
        int below = values.size() - returnType.getSize();
        while (below > 0) {
            if (below >= 2 && values.get(below - 1) == Opcodes.TOP
                    && (values.get(below - 2) == Opcodes.LONG || values.get(below - 2) == Opcodes.DOUBLE)) {
                super.visitInsn(Opcodes.POP2);
                below -= 2;
            } else {
                super.visitInsn(Opcodes.POP);
                below -= 1;
            }
        }
    }

    private int moved(int index) {
        return index < firstFree ? index : index + extra;
    }

    private void closeSegment() {
        Label end = new Label();
        super.visitLabel(end);
        guardedSegments.add(new Label[] {segmentStart, end});
    }

    private void enter(int index) {
        Advice each = advice.get(index);
        if (enterLocals[index] >= 0) {
            super.visitInsn(Opcodes.ACONST_NULL);
            super.visitVarInsn(Opcodes.ASTORE, enterLocals[index]);
        }
        Label start = new Label();
        Label done = new Label();
        super.visitLabel(start);
        if (argumentsLocals[index] >= 0) {
            allArguments();
            super.visitVarInsn(Opcodes.ASTORE, argumentsLocals[index]);
        }
        call(each.enter, index, true);
        if (enterLocals[index] >= 0) {
            super.visitVarInsn(Opcodes.ASTORE, enterLocals[index]);
        } else if (each.enter.returnType.getSort() != Type.VOID) {
            super.visitInsn(Opcodes.POP);
        }
        if (argumentsLocals[index] >= 0) {
            for (int i = 0; i < argumentTypes.length; i++) {
                super.visitVarInsn(Opcodes.ALOAD, argumentsLocals[index]);
                push(i);
                super.visitInsn(Opcodes.AALOAD);
                fromObject(argumentTypes[i]);
                super.visitVarInsn(argumentTypes[i].getOpcode(Opcodes.ISTORE), argumentSlot(i));
            }
        }
        dropFailures(start, done);
    }

    private void exit(int index, boolean returned) {
        Advice each = advice.get(index);
        Label start = new Label();
        Label done = new Label();
        super.visitLabel(start);
        if (each.exitOnlyWhenEntered) {
            super.visitVarInsn(Opcodes.ALOAD, enterLocals[index]);
            super.visitJumpInsn(Opcodes.IFNULL, done);
        }
        call(each.exit, index, returned);
        if (each.replacesReturn && returned && returnLocal >= 0) {
            fromObject(returnType);
            super.visitVarInsn(returnType.getOpcode(Opcodes.ISTORE), returnLocal);
        } else if (each.exit.returnType.getSort() != Type.VOID) {
            super.visitInsn(each.exit.returnType.getSize() == 2 ? Opcodes.POP2 : Opcodes.POP);
        }
        dropFailures(start, done);
    }

    /** Ends a hook call's guarded range: what it threw is popped and the method goes on at {@code done}. */
    private void dropFailures(Label start, Label done) {
        Label end = new Label();
        Label handler = new Label();
        super.visitLabel(end);
        super.visitJumpInsn(Opcodes.GOTO, done);
        super.visitLabel(handler);
        super.visitInsn(Opcodes.POP);
        super.visitLabel(done);
        ownHandlers.add(new Object[] {start, end, handler});
    }

    private void call(Advice.Hook hook, int index, boolean returned) {
        for (int i = 0; i < hook.values.length; i++) {
            load(hook.values[i], hook.parameterTypes[i], index, returned);
        }
        super.visitMethodInsn(Opcodes.INVOKESTATIC, hook.owner, hook.name, hook.descriptor, false);
    }

    private void load(Value value, Type target, int index, boolean returned) {
        switch (value.kind) {
            case THIS:
                if (isStatic) {
                    super.visitInsn(Opcodes.ACONST_NULL);
                } else {
                    super.visitVarInsn(Opcodes.ALOAD, 0);
                }
                convert(OBJECT, target);
                return;
            case ARGUMENT:
                if (value.index >= argumentTypes.length) {
                    throw new IllegalStateException(describe() + " has no argument " + value.index);
                }
                super.visitVarInsn(argumentTypes[value.index].getOpcode(Opcodes.ILOAD), argumentSlot(value.index));
                convert(argumentTypes[value.index], target);
                return;
            case ALL_ARGUMENTS:
                if (argumentsLocals[index] >= 0) {
                    super.visitVarInsn(Opcodes.ALOAD, argumentsLocals[index]);
                } else {
                    allArguments();
                }
                return;
            case METHOD_NAME:
                super.visitLdcInsn(methodName);
                return;
            case DECLARING_CLASS:
                super.visitLdcInsn(Type.getObjectType(owner.internalName()));
                return;
            case FIELD:
                String descriptor = owner.fieldDescriptor(value.text);
                if (descriptor == null) {
                    throw new IllegalStateException(owner.name() + " has no field " + value.text);
                }
                if (owner.isStaticField(value.text)) {
                    super.visitFieldInsn(Opcodes.GETSTATIC, owner.internalName(), value.text, descriptor);
                } else {
                    if (isStatic) {
                        throw new IllegalStateException(describe() + " is static; it has no " + value.text);
                    }
                    super.visitVarInsn(Opcodes.ALOAD, 0);
                    super.visitFieldInsn(Opcodes.GETFIELD, owner.internalName(), value.text, descriptor);
                }
                convert(Type.getType(descriptor), target);
                return;
            case CONSTANT:
                super.visitLdcInsn(value.text);
                return;
            case NULL:
                super.visitInsn(Opcodes.ACONST_NULL);
                return;
            case ENTERED:
                super.visitVarInsn(Opcodes.ALOAD, enterLocals[index]);
                return;
            case RETURNED:
                if (returned && returnLocal >= 0) {
                    super.visitVarInsn(returnType.getOpcode(Opcodes.ILOAD), returnLocal);
                    convert(returnType, target);
                } else {
                    super.visitInsn(Opcodes.ACONST_NULL);
                }
                return;
            case THROWN:
                if (returned) {
                    super.visitInsn(Opcodes.ACONST_NULL);
                } else {
                    super.visitVarInsn(Opcodes.ALOAD, thrownLocal);
                }
                return;
            default:
                throw new IllegalStateException("unknown value " + value);
        }
    }

    private void allArguments() {
        push(argumentTypes.length);
        super.visitTypeInsn(Opcodes.ANEWARRAY, "java/lang/Object");
        for (int i = 0; i < argumentTypes.length; i++) {
            super.visitInsn(Opcodes.DUP);
            push(i);
            super.visitVarInsn(argumentTypes[i].getOpcode(Opcodes.ILOAD), argumentSlot(i));
            box(argumentTypes[i]);
            super.visitInsn(Opcodes.AASTORE);
        }
    }

    private int argumentSlot(int argument) {
        int slot = isStatic ? 0 : 1;
        for (int i = 0; i < argument; i++) {
            slot += argumentTypes[i].getSize();
        }
        return slot;
    }

    /** A value of type {@code from} on the stack, made what a hook parameter of type {@code to} takes. */
    private void convert(Type from, Type to) {
        if (isPrimitive(to)) {
            if (!from.equals(to)) {
                throw new IllegalStateException(describe() + ": a " + from.getClassName() + " cannot be passed as a "
                        + to.getClassName());
            }
            return;
        }
        box(from);
        if (!to.equals(OBJECT)) {
            super.visitTypeInsn(Opcodes.CHECKCAST, to.getInternalName());
        }
    }

    /** An {@code Object} on the stack, made a value of {@code type}: cast, or unboxed. */
    private void fromObject(Type type) {
        if (!isPrimitive(type)) {
            if (!type.equals(OBJECT)) {
                super.visitTypeInsn(Opcodes.CHECKCAST, type.getInternalName());
            }
            return;
        }
        String box = boxOf(type);
        super.visitTypeInsn(Opcodes.CHECKCAST, box);
        super.visitMethodInsn(Opcodes.INVOKEVIRTUAL, box, type.getClassName() + "Value", "()" + type.getDescriptor(),
                false);
    }

    private void box(Type type) {
        if (isPrimitive(type)) {
            String box = boxOf(type);
            super.visitMethodInsn(Opcodes.INVOKESTATIC, box, "valueOf", "(" + type.getDescriptor() + ")L" + box + ";",
                    false);
        }
    }

    private static boolean isPrimitive(Type type) {
        return type.getSort() != Type.OBJECT && type.getSort() != Type.ARRAY;
    }

    private static String boxOf(Type type) {
        switch (type.getSort()) {
            case Type.BOOLEAN: return "java/lang/Boolean";
            case Type.CHAR: return "java/lang/Character";
            case Type.BYTE: return "java/lang/Byte";
            case Type.SHORT: return "java/lang/Short";
            case Type.INT: return "java/lang/Integer";
            case Type.FLOAT: return "java/lang/Float";
            case Type.LONG: return "java/lang/Long";
            case Type.DOUBLE: return "java/lang/Double";
            default: throw new IllegalStateException("not a primitive: " + type);
        }
    }

    private void push(int value) {
        if (value <= 5) {
            super.visitInsn(Opcodes.ICONST_0 + value);
        } else if (value <= Byte.MAX_VALUE) {
            super.visitIntInsn(Opcodes.BIPUSH, value);
        } else {
            super.visitIntInsn(Opcodes.SIPUSH, value);
        }
    }

    private String describe() {
        return owner.name() + "#" + methodName;
    }
}
