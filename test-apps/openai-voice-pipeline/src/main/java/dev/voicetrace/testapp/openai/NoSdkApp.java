package dev.voicetrace.testapp.openai;

/**
 * A plain Java program that never touches the OpenAI SDK (not even an import): used to check that
 * the Voicetrace agent stays out of the way of applications without any traced library. Runs with
 * only this class on the class path: {@code java -cp target/classes dev.voicetrace.testapp.openai.NoSdkApp}.
 *
 * <p>Prints {@code no-sdk app done: 17984} (the number of primes below 200,000), then how many
 * threads of the JDK's HTTP client are running, {@code http client threads: 0}: an agent that
 * started one (to export what it never traced) would change that line.
 */
public final class NoSdkApp {

    static final int LIMIT = 200_000;

    private NoSdkApp() {
    }

    public static void main(String[] args) {
        System.out.println("no-sdk app done: " + countPrimesBelow(LIMIT));
        System.out.println("http client threads: " + httpClientThreads());
    }

    /** Live threads of the JDK's HTTP client ({@code HttpClient-1-SelectorManager} and its workers). */
    static long httpClientThreads() {
        return Thread.getAllStackTraces().keySet().stream()
                .filter(thread -> thread.getName().startsWith("HttpClient-"))
                .count();
    }

    static int countPrimesBelow(int limit) {
        boolean[] composite = new boolean[Math.max(limit, 2)];
        int count = 0;
        for (int i = 2; i < limit; i++) {
            if (!composite[i]) {
                count++;
                for (long j = (long) i * i; j < limit; j += i) {
                    composite[(int) j] = true;
                }
            }
        }
        return count;
    }
}
