package dev.creditline.kernel.testing;

import dev.creditline.kernel.boot.Config;
import dev.creditline.kernel.boot.DaggerKernelComponent;
import dev.creditline.kernel.boot.Kernel;
import dev.creditline.kernel.boot.KernelComponent;
import dev.creditline.testkit.ApiClient;
import dev.creditline.testkit.FreshDatabase;
import dev.creditline.testkit.LedgerProbe;
import java.net.URI;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.extension.AfterAllCallback;
import org.junit.jupiter.api.extension.BeforeAllCallback;
import org.junit.jupiter.api.extension.ExtensionContext;

/**
 * A real Creditline server for a test class: its own fresh PostgreSQL database, a random port, a clock the test
 * controls and write faults it can switch on. Register with {@code @RegisterExtension static TestServer server = new
 * TestServer();}.
 */
public final class TestServer implements BeforeAllCallback, AfterAllCallback {
    public static final String ADMIN_TOKEN = "test-admin-token-0123456789";
    /** The key of plugins' secrets at rest (32 bytes in base64), unless a test configures another or none. */
    public static final String SECRETS_KEY = "Y3JlZGl0bGluZSB0ZXN0IHNlY3JldHMga2V5IDAwMDA=";

    private final FreshDatabase database = new FreshDatabase();
    private final MutableClock clock = new MutableClock(Instant.now().truncatedTo(ChronoUnit.SECONDS));
    private final FaultSwitch faults = new FaultSwitch();
    private final int poolSize;
    private final java.util.function.UnaryOperator<Config.Builder> customize;
    private KernelComponent component;
    private Kernel kernel;
    private ApiClient api;
    private ApiClient management;
    private long startedAt;
    private Config config;
    private final java.util.List<Kernel> otherNodes = new java.util.ArrayList<>();

    public TestServer() {
        this(8);
    }

    public TestServer(int poolSize) {
        this(poolSize, builder -> builder);
    }

    /** A server whose configuration the test adjusts (plugins, say). */
    public TestServer(int poolSize, java.util.function.UnaryOperator<Config.Builder> customize) {
        this.poolSize = poolSize;
        this.customize = customize;
    }

    @Override
    public void beforeAll(ExtensionContext context) throws Exception {
        database.beforeAll(context);
        config = customize.apply(Config.defaults().toBuilder()
                .database(database.url())
                .httpPort(0)
                .httpInstances(1)
                .management(new Config.Management("127.0.0.1", 0, null))
                .poolSize(poolSize)
                .adminToken(ADMIN_TOKEN)
                // The access tests send many wrong keys from one address; the throttle's own test sets it low.
                .failedAuthPerClient(1_000_000)
                .secretsKey(SECRETS_KEY)
                // Tests run sweeps themselves (test clocks, or the expiry job on demand).
                .expirySweepInterval(Duration.ofHours(1))).build();
        component = DaggerKernelComponent.builder().config(config).clock(clock).writeFaults(faults).build();
        kernel = component.kernel();
        int port = kernel.start().toCompletionStage().toCompletableFuture().get(30, TimeUnit.SECONDS);
        startedAt = System.nanoTime();
        api = new ApiClient(URI.create("http://127.0.0.1:" + port));
        management = new ApiClient(URI.create("http://127.0.0.1:" + kernel.managementPort()));
    }

    /**
     * Starts another server on the same database with the same configuration (a second node of a cluster), stopped
     * with this one; returns a client of it.
     */
    public ApiClient startAnotherNode() throws Exception {
        Kernel other = DaggerKernelComponent.builder().config(config).clock(clock).writeFaults(faults).build().kernel();
        otherNodes.add(other);
        int port = other.start().toCompletionStage().toCompletableFuture().get(30, TimeUnit.SECONDS);
        return new ApiClient(URI.create("http://127.0.0.1:" + port));
    }

    @Override
    public void afterAll(ExtensionContext context) throws Exception {
        for (Kernel other : otherNodes) {
            other.stop().get(30, TimeUnit.SECONDS);
        }
        if (kernel != null) {
            kernel.stop().get(30, TimeUnit.SECONDS);
        }
        database.afterAll(context);
    }

    public ApiClient api() {
        return api;
    }

    /** A client of the management listener ({@code /metrics}, {@code /health} with its details). */
    public ApiClient management() {
        return management;
    }

    /**
     * Waits until the expiry job's first periodic pass (a second after start) is over, for a test that moves the
     * server's clock and then counts on no sweep running before it sweeps itself.
     */
    public void awaitFirstSweep() throws Exception {
        long left = TimeUnit.MILLISECONDS.toNanos(1_500) - (System.nanoTime() - startedAt);
        if (left > 0) {
            TimeUnit.NANOSECONDS.sleep(left);
        }
        // Runs after the pass going on, if any: when it answers, the first pass has ended.
        component.expiryJob().runOnce().toCompletionStage().toCompletableFuture().get(30, TimeUnit.SECONDS);
    }

    public MutableClock clock() {
        return clock;
    }

    public FaultSwitch faults() {
        return faults;
    }

    public KernelComponent component() {
        return component;
    }

    public LedgerProbe probe() {
        return new LedgerProbe(database.url());
    }

    public dev.creditline.store.DatabaseUrl databaseUrl() {
        return database.url();
    }

    /** A new studio with its owner key. */
    public StudioFixture studio(boolean testMode) {
        return StudioFixture.create(api, testMode);
    }
}
