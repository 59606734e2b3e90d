package dev.voicetrace.agent.provider;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.ServiceConfigurationError;
import java.util.ServiceLoader;

/** The providers packaged in the agent, found through {@link ServiceLoader} in the agent's own class loader. */
public final class Providers {

    private Providers() {}

    /** Every provider, by id; one that cannot be loaded is left out with {@code onError} told why. */
    public static List<Provider> load(java.util.function.Consumer<String> onError) {
        List<Provider> providers = new ArrayList<>();
        java.util.Iterator<Provider> found = ServiceLoader.load(Provider.class, Providers.class.getClassLoader())
                .iterator();
        while (true) {
            try {
                if (!found.hasNext()) {
                    break;
                }
                providers.add(found.next());
            } catch (ServiceConfigurationError e) {
                onError.accept("a provider could not be loaded: " + e.getMessage());
            }
        }
        providers.sort(Comparator.comparing(Provider::id));
        return providers;
    }
}
