package dev.voicetrace.agent.http;

import dev.voicetrace.agent.AgentLog;
import dev.voicetrace.bootstrap.OkHttpCallView;
import java.io.IOException;
import java.io.InputStream;

/**
 * The {@link OkHttpCallView} for the calls of one OkHttp: {@code okhttp.DirectOkHttpCallView},
 * compiled against OkHttp, defined once per OkHttp class loader in a loader whose parent is that
 * one. (Found by reflection and called through method handles, the same reads cost some 80 µs per
 * call on the application's thread in the voice benchmark: at a voice application's pace their
 * dispatch stays uncompiled for minutes.)
 */
public final class OkHttpSide {

    static final String VIEW_CLASS = "dev.voicetrace.agent.http.okhttp.DirectOkHttpCallView";

    private OkHttpSide() {}

    private static final class Side {
        final OkHttpCallView view;
        /** Set when this OkHttp lacks a member the view calls: its calls are not read any more. */
        volatile boolean lacking;

        Side(OkHttpCallView view) {
            this.view = view;
        }
    }

    private static final ClassValue<Side> SIDES = new ClassValue<Side>() {
        @Override
        protected Side computeValue(Class<?> callType) {
            try {
                return new Side(definedFor(callType.getClassLoader()));
            } catch (ReflectiveOperationException | IOException | RuntimeException | LinkageError e) {
                AgentLog.warnOnce("okhttp-side:" + callType.getName(),
                        "OkHttp calls of " + callType.getName() + " are not traced: " + e);
                return null;
            }
        }
    };

    /** The view of the calls of {@code callType} (an OkHttp {@code RealCall} class), or null when there is none. */
    public static OkHttpCallView viewOf(Class<?> callType) {
        Side side = SIDES.get(callType);
        return side == null || side.lacking ? null : side.view;
    }

    /** The OkHttp of {@code callType} lacks something the view calls: logged once, its calls no longer read. */
    public static void lacking(Class<?> callType, LinkageError error) {
        Side side = SIDES.get(callType);
        if (side != null && !side.lacking) {
            side.lacking = true;
            AgentLog.warnOnce("okhttp-side:" + callType.getName(),
                    "OkHttp calls of " + callType.getName() + " are not traced: this OkHttp lacks " + error);
        }
    }

    private static OkHttpCallView definedFor(ClassLoader okHttpLoader) throws ReflectiveOperationException, IOException {
        byte[] classFile;
        try (InputStream in = OkHttpSide.class.getResourceAsStream("/" + VIEW_CLASS.replace('.', '/') + ".class")) {
            if (in == null) {
                throw new IOException(VIEW_CLASS + " missing from the agent jar");
            }
            classFile = in.readAllBytes();
        }
        Class<?> defined = new SideLoader(okHttpLoader).define(VIEW_CLASS, classFile);
        return (OkHttpCallView) defined.getConstructor().newInstance();
    }

    /**
     * Holds the one class. What it names resolves through the parent (OkHttp, the JDK), except the
     * agent's bootstrap classes, taken from where the agent has them: a loader that delegates only
     * {@code java.*} (an OSGi bundle's) would not find them. Defining the class here, rather than
     * loading it by name, keeps it from resolving to a copy in a loader that sees no OkHttp.
     */
    private static final class SideLoader extends ClassLoader {
        private static final String BOOTSTRAP_PACKAGE = OkHttpCallView.class.getPackageName() + ".";

        SideLoader(ClassLoader okHttpLoader) {
            super("voicetrace-okhttp", okHttpLoader);
        }

        Class<?> define(String name, byte[] classFile) {
            return defineClass(name, classFile, 0, classFile.length);
        }

        @Override
        protected Class<?> loadClass(String name, boolean resolve) throws ClassNotFoundException {
            if (name.startsWith(BOOTSTRAP_PACKAGE)) {
                return Class.forName(name, false, OkHttpCallView.class.getClassLoader());
            }
            return super.loadClass(name, resolve);
        }
    }
}
