package dev.creditline.plugins.email;

import dev.creditline.api.spi.CreditlinePlugin.SettingProblem;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.mail.MailConfig;
import io.vertx.ext.mail.StartTLSOptions;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Set;

/**
 * A studio's SMTP settings: {@code host} and {@code from} (required), {@code port} (25), {@code username} and
 * {@code password} (a secret), {@code starttls} ({@code disabled}, {@code optional}, {@code required}; optional) and
 * {@code ssl} (false).
 */
final class SmtpSettings {
    static final Set<String> NAMES = Set.of("host", "port", "from", "username", "password", "starttls", "ssl");

    private SmtpSettings() {
    }

    static List<SettingProblem> problems(JsonObject s) {
        List<SettingProblem> problems = new ArrayList<>();
        for (String name : s.fieldNames()) {
            if (!NAMES.contains(name)) {
                problems.add(new SettingProblem(name, "is not an SMTP setting (" + String.join(", ", NAMES) + ")"));
            }
        }
        if (!(s.getValue("host") instanceof String host) || host.isBlank()) {
            problems.add(new SettingProblem("host", "is required: the SMTP server's host name"));
        }
        if (!(s.getValue("from") instanceof String from) || !from.contains("@")) {
            problems.add(new SettingProblem("from", "is required: the sender's address, such as studio@example.com"));
        }
        Object port = s.getValue("port");
        if (port != null && (!(port instanceof Integer p) || p < 1 || p > 65535)) {
            problems.add(new SettingProblem("port", "must be a port number from 1 to 65535"));
        }
        Object tls = s.getValue("starttls");
        if (tls != null && !List.of("disabled", "optional", "required").contains(tls)) {
            problems.add(new SettingProblem("starttls", "must be disabled, optional or required"));
        }
        if (s.getValue("ssl") != null && !(s.getValue("ssl") instanceof Boolean)) {
            problems.add(new SettingProblem("ssl", "must be true or false"));
        }
        return problems;
    }

    static MailConfig config(JsonObject s) {
        MailConfig config = new MailConfig().setHostname(s.getString("host")).setPort(s.getInteger("port", 25))
                .setStarttls(StartTLSOptions.valueOf(s.getString("starttls", "optional").toUpperCase(Locale.ROOT)))
                .setSsl(s.getBoolean("ssl", false)).setKeepAlive(false);
        if (s.getString("username") != null) {
            config.setUsername(s.getString("username")).setPassword(s.getString("password"));
        }
        return config;
    }
}
