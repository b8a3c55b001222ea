package dev.creditline.kernel.plugins;

import dev.creditline.api.spi.ApiProblem;
import dev.creditline.api.spi.PluginFailure;
import dev.creditline.kernel.boot.Config;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.WorkerExecutor;
import jakarta.inject.Inject;
import jakarta.inject.Singleton;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.Function;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Calls extensions so that a misbehaving plugin fails only the request it serves: the call runs on a worker thread
 * of the plugin's own pool (a plugin that blocks cannot stall an event loop, nor take the threads other plugins run
 * on), has a time limit, and any exception, timeout or nonsense answer
 * becomes a {@link PluginFailure} and a count in {@code creditline_plugin_failures_total}.
 */
@Singleton
public final class ContainedCalls {
    private static final Logger LOG = LoggerFactory.getLogger(ContainedCalls.class);

    /** Worker threads per plugin. */
    static final int THREADS_PER_PLUGIN = 8;

    private final Vertx vertx;
    private final Map<String, WorkerExecutor> workers = new ConcurrentHashMap<>();
    private final long timeoutMillis;
    private final MeterRegistry metrics;

    @Inject
    public ContainedCalls(Vertx vertx, Config config, MeterRegistry metrics) {
        this.vertx = vertx;
        this.timeoutMillis = config.plugins().callTimeout().toMillis();
        this.metrics = metrics;
    }

    /**
     * Calls one extension.
     *
     * @param pluginId  the extension's plugin
     * @param operation what is called, e.g. {@code CreditPolicy.decide}
     */
    public <T, R> Future<R> call(String pluginId, String operation, T extension, Function<T, Future<R>> call) {
        return call(pluginId, operation, timeoutMillis, extension, call);
    }

    /** Calls one extension with its own time limit. */
    public <T, R> Future<R> call(String pluginId, String operation, long timeoutMillis, T extension,
                                 Function<T, Future<R>> call) {
        WorkerExecutor pool = workers.computeIfAbsent(pluginId, id ->
                vertx.createSharedWorkerExecutor("creditline-plugin-" + id, THREADS_PER_PLUGIN));
        return pool.<Future<R>>executeBlocking(() -> {
                    Future<R> answer = call.apply(extension);
                    if (answer == null) {
                        throw new IllegalStateException("answered null instead of a future");
                    }
                    return answer;
                }, false)
                .<R>compose(answer -> answer)
                .timeout(timeoutMillis, TimeUnit.MILLISECONDS)
                .recover(failure -> {
                    if (failure instanceof ApiProblem || failure instanceof PluginFailure) {
                        // A deliberate answer of the plugin (e.g. 409 for a used-up voucher) or a nested failure.
                        return Future.failedFuture(failure);
                    }
                    boolean timedOut = failure instanceof TimeoutException;
                    return Future.failedFuture(failed(pluginId, operation, timedOut ? "timeout" : "error",
                            timedOut ? "did not answer within " + timeoutMillis + " ms" : failure.toString(), failure));
                });
    }

    /** A nonsense answer of an extension: counted and reported like a failure. */
    public PluginFailure invalid(String pluginId, String operation, String why) {
        return failed(pluginId, operation, "invalid", "answered nonsense: " + why, null);
    }

    private PluginFailure failed(String pluginId, String operation, String kind, String message, Throwable cause) {
        Counter.builder("creditline_plugin_failures_total")
                .description("Extension calls that threw, timed out or answered nonsense")
                .tag("plugin", pluginId).tag("operation", operation).tag("kind", kind)
                .register(metrics).increment();
        LOG.warn("Plugin {} failed in {}: {}", pluginId, operation, message);
        return new PluginFailure(pluginId, operation, "plugin " + pluginId + " failed in " + operation + ": " + message,
                cause);
    }

    /** Releases the worker threads. */
    public void close() {
        workers.values().forEach(WorkerExecutor::close);
        workers.clear();
    }
}
