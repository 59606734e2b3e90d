package dev.voicetrace.agent.capture;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/** {@link SdkJson#apiHost}: a generated service's host, from its client options, remembered per service. */
class SdkJsonApiHostTest {

    /** The shape of a generated SDK's client options: a public {@code baseUrl()}. */
    public static final class Options {
        private final String baseUrl;

        Options(String baseUrl) {
            this.baseUrl = baseUrl;
        }

        public String baseUrl() {
            return baseUrl;
        }
    }

    /** A generated service keeps its options in a private field. */
    static final class Service {
        @SuppressWarnings("unused")
        private final Options clientOptions;

        Service(String baseUrl) {
            this.clientOptions = new Options(baseUrl);
        }
    }

    static final class NoOptions {}

    @Test
    void eachServiceGetsItsOwnHostWhenCallsAlternate() {
        Service openAi = new Service("https://api.openai.com/v1");
        Service azure = new Service("https://example-resource.openai.azure.com/openai");
        Service proxy = new Service("http://127.0.0.1:4000");
        for (int round = 0; round < 3; round++) {
            assertEquals("api.openai.com", SdkJson.apiHost(openAi));
            assertEquals("example-resource.openai.azure.com", SdkJson.apiHost(azure));
            assertEquals("127.0.0.1:4000", SdkJson.apiHost(proxy));
        }
    }

    @Test
    void moreServicesThanRememberedStillReadRight() {
        List<Service> services = new ArrayList<>();
        for (int i = 0; i < 20; i++) {
            services.add(new Service("http://host-" + i + ".test:" + (8000 + i)));
        }
        for (int round = 0; round < 2; round++) {
            for (int i = 0; i < services.size(); i++) {
                assertEquals("host-" + i + ".test:" + (8000 + i), SdkJson.apiHost(services.get(i)));
            }
        }
    }

    @Test
    void noServiceOrNoOptionsGiveNoHost() {
        assertNull(SdkJson.apiHost(null));
        assertNull(SdkJson.apiHost(new NoOptions()));
        assertNull(SdkJson.apiHost(new Service("not a url with spaces")));
    }
}
