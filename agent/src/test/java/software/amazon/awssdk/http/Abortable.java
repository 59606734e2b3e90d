package software.amazon.awssdk.http;

/** A test stand-in with the name and the method of the AWS SDK's interface. */
public interface Abortable {
    void abort();
}
