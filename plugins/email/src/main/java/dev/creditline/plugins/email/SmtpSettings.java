package dev.creditline.plugins.email;

import dev.creditline.api.spi.CreditlinePlugin.SettingProblem;
import dev.creditline.api.spi.PluginSetting;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.mail.MailConfig;
import io.vertx.ext.mail.StartTLSOptions;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * A studio's SMTP settings: {@code host} and {@code from} (required), {@code port} (25), {@code username} and
 * {@code password} (a secret), {@code starttls} ({@code disabled}, {@code optional}, {@code required}; optional) and
 * {@code ssl} (false).
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

    private SmtpSettings() {
    }

    /** What the declaration cannot say. */
    static List<SettingProblem> problems(JsonObject s) {
        List<SettingProblem> problems = new ArrayList<>();
        if (s.getValue("host") instanceof String host && host.isBlank()) {
            problems.add(new SettingProblem("host", "is required: the SMTP server's host name"));
        }
        if (s.getValue("from") instanceof String from && !from.contains("@")) {
            problems.add(new SettingProblem("from", "must be the sender's address, such as studio@example.com"));
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
