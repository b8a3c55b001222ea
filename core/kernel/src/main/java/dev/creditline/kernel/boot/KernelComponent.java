package dev.creditline.kernel.boot;

import dagger.BindsInstance;
import dagger.Component;
import dev.creditline.store.WriteFaults;
import dev.creditline.kernel.http.ApiRouter;
import dev.creditline.kernel.jobs.ExpiryJob;
import dev.creditline.kernel.jobs.StatisticsJob;
import io.vertx.core.Vertx;
import io.vertx.sqlclient.Pool;
import jakarta.inject.Singleton;
import java.time.Clock;

/** The kernel's one root component. */
@Singleton
@Component(modules = KernelModule.class)
public interface KernelComponent {

    /** The server. */
    Kernel kernel();

    /** The database pool (for tools and tests that inspect the ledger). */
    Pool pool();

    /** The expiry sweep (tests run it on demand). */
    ExpiryJob expiryJob();

    /** The ledger's metrics (tests refresh them on demand). */
    dev.creditline.kernel.jobs.LedgerMetrics ledgerMetrics();

    /** The job that keeps the planner's statistics current (tests run it on demand). */
    StatisticsJob statisticsJob();

    /** Vert.x. */
    Vertx vertx();

    /** The router factory (tests compare its routes with the OpenAPI document). */
    ApiRouter apiRouter();

    /** The management listener's routes (tests compare them with its OpenAPI document). */
    dev.creditline.kernel.http.ManagementRoutes managementRoutes();

    /** The ledger as plugins use it (tests call it as a plugin would). */
    dev.creditline.kernel.plugins.KernelLedgerService ledgerService();

    /** Builds the kernel for a configuration. */
    @Component.Builder
    interface Builder {
        @BindsInstance
        Builder config(Config config);

        /** The real clock; test-mode studios have their own on top of it. */
        @BindsInstance
        Builder clock(Clock clock);

        /** {@link WriteFaults#NONE} in production. */
        @BindsInstance
        Builder writeFaults(WriteFaults faults);

        KernelComponent build();
    }

    /** The production kernel for a configuration. */
    static KernelComponent create(Config config) {
        return DaggerKernelComponent.builder()
                .config(config)
                .clock(Clock.tick(Clock.systemUTC(), java.time.Duration.ofMillis(1)))
                .writeFaults(WriteFaults.NONE)
                .build();
    }
}
