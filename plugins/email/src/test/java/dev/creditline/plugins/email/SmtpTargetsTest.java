package dev.creditline.plugins.email;

import static org.assertj.core.api.Assertions.assertThat;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * The SMTP servers a studio may name: public hosts on SMTP ports, unless the operator allows more. Literal
 * addresses (and {@code localhost}, from the hosts file) need no DNS.
 */
class SmtpTargetsTest {
    private static final SmtpTargets DEFAULTS = SmtpTargets.of(null);

    @ParameterizedTest(name = "{0}")
    @ValueSource(strings = {"127.0.0.1", "127.8.9.10", "127.1", "2130706433", "localhost", "0.0.0.0", "0.1.2.3",
            "10.1.2.3", "172.16.0.1", "172.31.255.255", "192.168.0.10", "169.254.169.254", "100.64.0.1",
            "100.127.255.254", "224.0.0.5", "255.255.255.255", "::1", "[::1]", "::", "fe80::1", "fc00::1",
            "fd12:3456::1", "fec0::1", "ff02::1", "::ffff:10.0.0.1", "::ffff:127.0.0.1", "::10.0.0.1",
            "64:ff9b::a9fe:a9fe", "2002:a00:1::1"})
    void aHostThatIsNotPublicIsRefused(String host) {
        assertThat(DEFAULTS.hostProblem(host, true)).contains("must be a public SMTP server")
                .contains("plugins.serverSettings.email.allowPrivateHosts");
        assertThat(DEFAULTS.hostProblem(host, false)).isNotNull();
    }

    @Test
    void theRefusalDoesNotTellWhatANameResolvesTo() {
        assertThat(DEFAULTS.hostProblem("localhost", true)).contains("localhost").doesNotContain("127.0.0.1");
    }

    @ParameterizedTest(name = "{0}")
    @ValueSource(strings = {"203.0.113.10", "8.8.8.8", "11.0.0.1", "172.32.0.1", "172.15.255.255", "100.128.0.1",
            "100.63.255.255", "192.169.0.1", "169.255.0.1", "223.255.255.255", "2001:db8::25", "2a00:1450::1b",
            "::ffff:203.0.113.10"})
    void aPublicHostIsAllowed(String host) {
        assertThat(DEFAULTS.hostProblem(host, false)).isNull();
    }

    @Test
    void theOperatorCanAllowPrivateHosts() {
        SmtpTargets allowing = SmtpTargets.of(new JsonObject().put("allowPrivateHosts", true));

        assertThat(allowing.hostProblem("127.0.0.1", false)).isNull();
        assertThat(allowing.hostProblem("169.254.169.254", false)).isNull();
        assertThat(allowing.ports()).containsExactlyInAnyOrderElementsOf(SmtpTargets.DEFAULT_PORTS);
    }

    @ParameterizedTest(name = "''{0}''")
    @ValueSource(strings = {"smtp.example.com:25", "smtp example.com", "http://smtp.example.com", "", "a/b",
            "smtp.example.com\r\nRCPT TO:<x@example.com>"})
    void whatIsNotAHostIsRefused(String host) {
        assertThat(DEFAULTS.hostProblem(host, true)).isEqualTo("must be the SMTP server's host name or IP address");
    }

    @Test
    void aNameThatDoesNotResolveMayBeStoredButIsNotConnectedTo() {
        assertThat(DEFAULTS.hostProblem("smtp.creditline.invalid", true)).isNull();
        assertThat(DEFAULTS.hostProblem("smtp.creditline.invalid", false)).startsWith("does not resolve");
    }

    @Test
    void onlySmtpPortsByDefault() {
        assertThat(List.of(25, 465, 587, 2525)).allSatisfy(port -> assertThat(DEFAULTS.portProblem(port)).isNull());
        assertThat(DEFAULTS.portProblem(80)).contains("25, 465, 587, 2525")
                .contains("plugins.serverSettings.email.allowedPorts");
        assertThat(DEFAULTS.portProblem(22)).isNotNull();
        assertThat(DEFAULTS.portProblem(6379)).isNotNull();
    }

    @Test
    void theOperatorsPortsReplaceTheDefaults() {
        SmtpTargets ports = SmtpTargets.of(new JsonObject().put("allowedPorts", new JsonArray().add(1025).add(587)));

        assertThat(ports.portProblem(1025)).isNull();
        assertThat(ports.portProblem(587)).isNull();
        assertThat(ports.portProblem(25)).contains("587, 1025");
        assertThat(ports.allowPrivateHosts()).isFalse();
    }

    @Test
    void theOperatorsPortsAreChecked() {
        assertThat(SmtpTargets.portsProblem(null)).isNull();
        assertThat(SmtpTargets.portsProblem(new JsonArray().add(25).add(1025))).isNull();
        assertThat(List.of(new JsonArray(), new JsonArray().add("25"), new JsonArray().add(0),
                new JsonArray().add(65536), new JsonArray().add(25.5), "25", new JsonObject().put("25", true)))
                .allSatisfy(bad -> assertThat(SmtpTargets.portsProblem(bad)).startsWith("must be a list of ports"));
    }

    @Test
    void aStudiosSettingsNameTheHostOrThePort() {
        List<String> loopback = SmtpSettings.problems(new JsonObject().put("host", "127.0.0.1")
                .put("from", "desk@example.com"), DEFAULTS).stream().map(p -> p.setting()).toList();
        List<String> port = SmtpSettings.problems(new JsonObject().put("host", "203.0.113.10").put("port", 6379)
                .put("from", "desk@example.com"), DEFAULTS).stream().map(p -> p.setting()).toList();
        List<String> fine = SmtpSettings.problems(new JsonObject().put("host", "203.0.113.10").put("port", 587)
                .put("from", "desk@example.com"), DEFAULTS).stream().map(p -> p.setting()).toList();

        assertThat(loopback).containsExactly("host");
        assertThat(port).containsExactly("port");
        assertThat(fine).isEmpty();
    }
}
