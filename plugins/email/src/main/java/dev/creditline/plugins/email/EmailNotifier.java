package dev.creditline.plugins.email;

import dev.creditline.api.spi.Notification;
import dev.creditline.api.spi.Notifier;
import dev.creditline.api.spi.PluginHost;
import io.vertx.core.Future;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.mail.MailClient;
import io.vertx.ext.mail.MailMessage;
import jakarta.inject.Inject;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import org.pf4j.Extension;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Sends a notification as a plain-text email through the studio's SMTP server to the member's address. The
 * Message-ID is derived from the notification's key, so a notification sent twice (a retry after a crash) is one
 * message to mail clients. A member without an address gets nothing, and that is not a failure.
 */
@Extension
public final class EmailNotifier implements Notifier {
    private static final Logger LOG = LoggerFactory.getLogger(EmailNotifier.class);

    private final PluginHost host;
    private final Map<String, MailClient> clients = new ConcurrentHashMap<>();

    @Inject
    EmailNotifier(PluginHost host) {
        this.host = host;
    }

    @Override
    public Future<Void> send(Notification n) {
        String to = n.data() == null ? null : n.data().getString("email");
        if (to == null || to.isBlank()) {
            LOG.info("Member {} of studio {} has no email address; {} not sent", n.memberId(), n.studioId(), n.kind());
            return Future.succeededFuture();
        }
        JsonObject settings = host.settings().forStudio(n.studioId());
        MailMessage message = new MailMessage().setFrom(settings.getString("from")).setTo(to)
                .setSubject(n.subject()).setText(n.text())
                .addHeader("Message-ID", "<" + digest(n.key()) + "@creditline>");
        return client(settings).sendMail(message).mapEmpty();
    }

    /** A client per SMTP settings (a changed setting makes a new one). */
    private MailClient client(JsonObject settings) {
        return clients.computeIfAbsent(settings.encode(),
                k -> MailClient.create(host.vertx(), SmtpSettings.config(settings)));
    }

    private static String digest(String key) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256")
                    .digest(key.getBytes(StandardCharsets.UTF_8))).substring(0, 32);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
