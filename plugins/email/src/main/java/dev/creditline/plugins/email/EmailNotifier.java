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
 * message to mail clients. A member without an address gets nothing, and that is not a failure. Before each send the
 * SMTP server's host is looked up again and checked ({@link SmtpTargets}: what a name resolves to may have changed
 * since the settings were saved); one the server may not connect to fails the send without a connection.
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
        SmtpTargets targets = SmtpTargets.of(host.settings().server());
        return host.vertx().executeBlocking(() -> refusal(settings, targets), false).compose(refusal -> {
            if (refusal != null) {
                LOG.warn("Studio {}: not connecting to its SMTP server, whose {}; {} for member {} not sent",
                        n.studioId(), refusal, n.kind(), n.memberId());
                return Future.failedFuture(new IllegalStateException("the studio's SMTP server is refused: its "
                        + refusal));
            }
            return client(settings).sendMail(message).mapEmpty();
        });
    }

    /** Why the server may not connect to the studio's SMTP server now, or null (looks the host up: blocks). */
    static String refusal(JsonObject settings, SmtpTargets targets) {
        String smtpHost = settings.getString("host");
        String problem = targets.hostProblem(smtpHost == null ? null : smtpHost.trim(), false);
        if (problem != null) {
            return "host " + problem;
        }
        problem = targets.portProblem(SmtpSettings.port(settings));
        return problem == null ? null : "port " + problem;
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
