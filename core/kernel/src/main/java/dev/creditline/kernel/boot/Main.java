package dev.creditline.kernel.boot;

import dev.creditline.store.DatabaseSetup;
import dev.creditline.store.DatabaseUnavailableException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import org.flywaydb.core.api.FlywayException;

/**
 * {@code bin/creditline}: loads the configuration, creates and migrates the database, starts the server. Problems
 * that an operator fixes (PostgreSQL down, a bad setting) end it with one line saying what and how, not a trace.
 */
public final class Main {

    private Main() {
    }

    public static void main(String[] args) {
        Map<String, String> env = System.getenv();
        try {
            Config config = ConfigLoader.load(configFile(env), env, home());
            DatabaseSetup.prepare(config.database());
            KernelComponent component = KernelComponent.create(config);
            Kernel kernel = component.kernel();
            int port = kernel.start().toCompletionStage().toCompletableFuture().get(60, TimeUnit.SECONDS);
            Runtime.getRuntime().addShutdownHook(new Thread(() -> {
                try {
                    kernel.stop().get(10, TimeUnit.SECONDS);
                } catch (Exception ignored) {
                    // exiting anyway
                }
            }, "creditline-shutdown"));
            System.out.println("Creditline is listening on " + Listening.address(config.httpHost(), port)
                    + ", management on " + Listening.address(config.management().host(), kernel.managementPort())
                    + " (database " + config.database() + ")");
            if (kernel.generatedAdminToken() != null) {
                System.out.println("Admin token (shown once; keep it, or set CREDITLINE_ADMIN_TOKEN): "
                        + kernel.generatedAdminToken());
            }
        } catch (ConfigException | DatabaseUnavailableException e) {
            fail(e.getMessage());
        } catch (FlywayException e) {
            fail("cannot migrate the database: " + e.getMessage().lines().findFirst().orElse(""));
        } catch (ExecutionException e) {
            fail(e.getCause() instanceof ConfigException bad ? bad.getMessage()
                    : "cannot start: " + e.getCause().getMessage());
        } catch (Exception e) {
            fail("cannot start: " + e);
        }
    }

    /** The installation directory ({@code bin/creditline} sets it), or null when run from elsewhere. */
    static Path home() {
        String home = System.getProperty("creditline.home");
        return home == null ? null : Path.of(home);
    }

    /** {@code CREDITLINE_CONFIG}, else {@code config/creditline.yaml} of the installation, else defaults only. */
    static Path configFile(Map<String, String> env) {
        String configured = env.get("CREDITLINE_CONFIG");
        if (configured != null && !configured.isBlank()) {
            return Path.of(configured);
        }
        String home = System.getProperty("creditline.home");
        Path file = (home == null ? Path.of(".") : Path.of(home)).resolve("config").resolve("creditline.yaml");
        return Files.isRegularFile(file) ? file : null;
    }

    private static void fail(String message) {
        System.err.println("creditline: " + message);
        System.exit(1);
    }
}
