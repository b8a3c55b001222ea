package dev.creditline.kernel.boot;

import dagger.Binds;
import dagger.Module;
import dagger.Provides;
import dagger.multibindings.IntoSet;
import dev.creditline.kernel.http.AccountRoutes;
import dev.creditline.kernel.http.BookingRoutes;
import dev.creditline.kernel.http.CatalogueRoutes;
import dev.creditline.kernel.http.CreditRoutes;
import dev.creditline.kernel.http.MemberRoutes;
import dev.creditline.kernel.http.PluginPageRoutes;
import dev.creditline.kernel.http.PluginRoutes;
import dev.creditline.kernel.http.ReportRoutes;
import dev.creditline.kernel.http.Routes;
import dev.creditline.kernel.http.StudioRoutes;
import dev.creditline.kernel.http.SubscriptionRoutes;
import dev.creditline.kernel.http.SystemRoutes;
import dev.creditline.kernel.http.WebRoutes;
import dev.creditline.kernel.jobs.DueWork;
import dev.creditline.kernel.jobs.PluginSchedule;
import dev.creditline.kernel.jobs.RenewalJob;
import dev.creditline.kernel.jobs.WarningJob;
import dev.creditline.kernel.jobs.ExpiryJob;
import dev.creditline.kernel.plugins.PluginOutbox;
import dev.creditline.kernel.plugins.PluginPayments;
import dev.creditline.kernel.plugins.PluginPolicies;
import dev.creditline.kernel.plugins.PluginRefundPolicy;
import dev.creditline.kernel.plugins.PluginPenaltyPolicy;
import dev.creditline.kernel.plugins.PluginVouchers;
import dev.creditline.store.OutboxPolicy;
import dev.creditline.store.PaymentPort;
import dev.creditline.store.RedemptionPolicyPort;
import dev.creditline.store.RefundPolicyPort;
import dev.creditline.store.PenaltyPolicyPort;
import dev.creditline.store.Statements;
import dev.creditline.store.VoucherPort;
import dev.creditline.store.citus.Distribution;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import io.vertx.micrometer.Label;
import io.vertx.micrometer.MicrometerMetricsFactory;
import io.vertx.micrometer.MicrometerMetricsOptions;
import java.util.EnumSet;
import io.vertx.core.Vertx;
import io.vertx.core.VertxOptions;
import io.vertx.pgclient.PgBuilder;
import io.vertx.pgclient.PgConnectOptions;
import io.vertx.sqlclient.Pool;
import io.vertx.sqlclient.PoolOptions;
import jakarta.inject.Singleton;
import org.slf4j.LoggerFactory;
import java.util.concurrent.TimeUnit;

/**
 * The kernel's graph: Vert.x, the database pool, every resource's routes and time-driven work, and the store's ports
 * served by plugins.
 */
@Module
public abstract class KernelModule {

    @Provides
    @Singleton
    static Vertx vertx(MeterRegistry metrics) {
        // Linux's epoll where its native library loads (fewer system calls per request); NIO elsewhere. Vert.x
        // reports HTTP and pool metrics into the kernel's registry, by route (never by path: ids are unbounded).
        VertxOptions options = new VertxOptions()
                .setPreferNativeTransport(!"false".equals(System.getProperty("creditline.nativeTransport")))
                .setMetricsOptions(new MicrometerMetricsOptions().setEnabled(true).setLabels(EnumSet.of(
                        Label.HTTP_METHOD, Label.HTTP_CODE, Label.HTTP_ROUTE, Label.POOL_TYPE, Label.POOL_NAME)));
        Vertx vertx = Vertx.builder().with(options).withMetrics(new MicrometerMetricsFactory(metrics)).build();
        LoggerFactory.getLogger(KernelModule.class).info("Network transport: {}",
                vertx.isNativeTransportEnabled() ? "native (epoll)" : "NIO");
        return vertx;
    }

    @Provides
    @Singleton
    static Pool pool(Vertx vertx, Config config) {
        PgConnectOptions connect = config.database().connectOptions()
                .setCachePreparedStatements(true)
                .setPreparedStatementCacheMaxSize(512)
                .setPreparedStatementCacheSqlFilter(Statements::cacheable);
        PoolOptions pool = new PoolOptions()
                .setMaxSize(config.poolSize())
                // A bounded queue: past it, requests fail fast with 503 instead of piling up.
                .setMaxWaitQueueSize(config.waitQueueSize())
                .setConnectionTimeout(10)
                .setConnectionTimeoutUnit(TimeUnit.SECONDS)
                .setIdleTimeout(5)
                .setIdleTimeoutUnit(TimeUnit.MINUTES);
        return PgBuilder.pool().with(pool).with(config.database().netClientOptions())
                .withConnectHandler(connection -> connection.query(Distribution.SESSION_SETUP).execute()
                        // Back to the pool either way: a connection that failed here fails its first use instead.
                        .onComplete(done -> connection.close()))
                .connectingTo(connect).using(vertx).build();
    }

    @Binds
    @IntoSet
    abstract Routes system(SystemRoutes routes);

    @Binds
    @IntoSet
    abstract Routes web(WebRoutes routes);

    @Binds
    @IntoSet
    abstract Routes studios(StudioRoutes routes);

    @Binds
    @IntoSet
    abstract Routes catalogue(CatalogueRoutes routes);

    @Binds
    @IntoSet
    abstract Routes subscriptions(SubscriptionRoutes routes);

    @Binds
    @IntoSet
    abstract Routes members(MemberRoutes routes);

    @Binds
    @IntoSet
    abstract Routes credits(CreditRoutes routes);

    @Binds
    @IntoSet
    abstract Routes bookings(BookingRoutes routes);

    @Binds
    @IntoSet
    abstract Routes plugins(PluginRoutes routes);

    @Binds
    @IntoSet
    abstract Routes reports(ReportRoutes routes);

    @Binds
    @IntoSet
    abstract Routes pluginPages(PluginPageRoutes routes);

    @Binds
    @IntoSet
    abstract Routes accounts(AccountRoutes routes);

    @Binds
    @IntoSet
    abstract DueWork expiry(ExpiryJob job);

    @Binds
    @IntoSet
    abstract DueWork renewals(RenewalJob job);

    @Binds
    @IntoSet
    abstract DueWork warnings(WarningJob job);

    @Binds
    @IntoSet
    abstract DueWork pluginSchedule(PluginSchedule job);

    @Provides
    @Singleton
    static ServerMetrics serverMetrics() {
        return new ServerMetrics();
    }

    @Provides
    static PrometheusMeterRegistry prometheus(ServerMetrics metrics) {
        return metrics.registry();
    }

    @Binds
    abstract MeterRegistry metrics(PrometheusMeterRegistry registry);

    // The store's ports, served by the plugins each studio enabled.

    @Binds
    abstract RedemptionPolicyPort policies(PluginPolicies policies);

    @Binds
    abstract VoucherPort vouchers(PluginVouchers vouchers);

    @Binds
    abstract PaymentPort payments(PluginPayments payments);

    @Binds
    abstract RefundPolicyPort refunds(PluginRefundPolicy refunds);

    @Binds
    abstract PenaltyPolicyPort penalties(PluginPenaltyPolicy penalties);

    @Binds
    abstract OutboxPolicy outbox(PluginOutbox outbox);
}
