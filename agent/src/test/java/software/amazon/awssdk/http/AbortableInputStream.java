package software.amazon.awssdk.http;

import java.io.FilterInputStream;
import java.io.InputStream;

/** A test stand-in with the name, the factory and the shape of the AWS SDK's response body stream. */
public final class AbortableInputStream extends FilterInputStream implements Abortable {

    private final Abortable abortable;
    public boolean aborted;

    private AbortableInputStream(InputStream delegate, Abortable abortable) {
        super(delegate);
        this.abortable = abortable;
    }

    public static AbortableInputStream create(InputStream delegate, Abortable abortable) {
        return new AbortableInputStream(delegate, abortable);
    }

    public static AbortableInputStream create(InputStream delegate) {
        return new AbortableInputStream(delegate, null);
    }

    @Override
    public void abort() {
        aborted = true;
        if (abortable != null) {
            abortable.abort();
        }
    }
}
