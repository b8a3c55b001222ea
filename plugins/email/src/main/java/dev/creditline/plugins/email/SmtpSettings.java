package dev.creditline.plugins.email;

import dev.creditline.api.spi.CreditlinePlugin.SettingProblem;
import dev.creditline.api.spi.PluginSetting;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.mail.MailConfig;
import io.vertx.ext.mail.StartTLSOptions;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * A studio's SMTP settings: {@code host} and {@code from} (required), {@code port} (25), {@code username} and
 * {@code password} (a secret), {@code starttls} ({@code disabled}, {@code optional}, {@code required}; optional) and
 * {@code ssl} (false); and the operator's, which limit the SMTP servers a studio may name ({@link SmtpTargets}).
 */
final class SmtpSettings {
    /** What a studio may set; the kernel checks names, types and ranges, and keeps the password secret. */
    static final List<PluginSetting> SETTINGS = List.of(
            PluginSetting.string("host", "the SMTP server's host name").required(true),
            PluginSetting.integer("port", "the SMTP server's port").between(1, 65535).defaultValue(25),
            PluginSetting.string("from", "the sender's address, such as studio@example.com").required(true),
            PluginSetting.string("username", "the user to sign in to the SMTP server as, if it asks"),
            PluginSetting.string("password", "that user's password").secret(true),
            PluginSetting.choice("starttls", "whether to upgrade the connection with STARTTLS", "disabled",
                    "optional", "required").defaultValue("optional"),
            PluginSetting.bool("ssl", "whether to connect over TLS from the start (port 465)").defaultValue(false));

    /** What only the operator sets (plugins.serverSettings.email). */
    static final List<PluginSetting> SERVER = List.of(
            PluginSetting.bool(SmtpTargets.ALLOW_PRIVATE_HOSTS, "whether a studio's SMTP server may be on a loopback,"
                    + " private or link-local address (an SMTP server inside the operator's network, a test server)")
                    .defaultValue(false),
            PluginSetting.json(SmtpTargets.ALLOWED_PORTS, "the ports a studio's SMTP server may listen on")
                    .defaultValue(new JsonArray(SmtpTargets.DEFAULT_PORTS)));

    private SmtpSettings() {
    }

    /**
     * What the declaration cannot say, and whether the server may connect to the SMTP server named (looked up
     * now: this blocks while it is).
     */
    static List<SettingProblem> problems(JsonObject s, SmtpTargets targets) {
        List<SettingProblem> problems = new ArrayList<>();
        if (s.getValue("host") instanceof String host) {
            String problem = host.isBlank() ? "is required: the SMTP server's host name"
                    : targets.hostProblem(host.trim(), true);
            if (problem != null) {
                problems.add(new SettingProblem("host", problem));
            }
        }
        if (s.containsKey("host") || s.containsKey("port")) {
            String problem = targets.portProblem(port(s));
            if (problem != null) {
                problems.add(new SettingProblem("port", problem));
            }
        }
        if (s.getValue("from") instanceof String from && !from.contains("@")) {
            problems.add(new SettingProblem("from", "must be the sender's address, such as studio@example.com"));
        }
        return problems;
    }

    /** What is wrong with the operator's settings (checked at start). */
    static List<SettingProblem> serverProblems(JsonObject server) {
        String problem = SmtpTargets.portsProblem(server.getValue(SmtpTargets.ALLOWED_PORTS));
        return problem == null ? List.of() : List.of(new SettingProblem(SmtpTargets.ALLOWED_PORTS, problem));
    }

    /** The port to connect to (the declared default when left out). */
    static int port(JsonObject s) {
        return s.getValue("port") instanceof Number n ? n.intValue() : 25;
    }

    static MailConfig config(JsonObject s) {
        MailConfig config = new MailConfig().setHostname(s.getString("host").trim()).setPort(port(s))
                .setStarttls(StartTLSOptions.valueOf(s.getString("starttls", "optional").toUpperCase(Locale.ROOT)))
                .setSsl(s.getBoolean("ssl", false)).setKeepAlive(false);
        if (s.getString("username") != null) {
            config.setUsername(s.getString("username")).setPassword(s.getString("password"));
        }
        return config;
    }
}
