package dev.creditline.api.spi;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.math.BigInteger;
import java.util.List;
import org.junit.jupiter.api.Test;

/** A declaration's checks, value by value, as the kernel applies them to a studio's settings. */
class PluginSettingTest {
    private static final List<PluginSetting> DECLARED = List.of(
            PluginSetting.string("key", "a key").required(true).secret(true),
            PluginSetting.integer("days", "days").between(0, 365).defaultValue(7),
            PluginSetting.number("ratio", "a ratio").between(0, 1),
            PluginSetting.decimal("fee", "a fee").between(0, null).defaultValue("0.25"),
            PluginSetting.bool("on", "on"),
            PluginSetting.duration("every", "how often"),
            PluginSetting.url("home", "a page"),
            PluginSetting.choice("tls", "tls", "off", "on"),
            PluginSetting.list("tags", "tags"),
            PluginSetting.json("rules", "rules"));

    private static List<String> bad(JsonObject settings) {
        return PluginSetting.check(DECLARED, settings, true).stream().map(CreditlinePlugin.SettingProblem::setting)
                .toList();
    }

    @Test
    void valuesOfTheirTypePass() {
        assertThat(bad(new JsonObject().put("key", "k").put("days", 0).put("ratio", 0.5).put("fee", 1.5)
                .put("on", true).put("every", "PT30S").put("home", "https://example.com/x").put("tls", "on")
                .put("tags", new JsonArray().add("a")).put("rules", new JsonObject().put("a", List.of(1, 2)))))
                .isEmpty();
        assertThat(bad(new JsonObject().put("key", "k").put("fee", "0.30").put("every", "P1D"))).isEmpty();
    }

    @Test
    void everyBadValueIsNamed() {
        assertThat(bad(new JsonObject().put("key", 5).put("days", 366).put("ratio", Double.POSITIVE_INFINITY)
                .put("fee", "cheap").put("on", "yes").put("every", "weekly").put("home", "ftp://x")
                .put("tls", "maybe").put("tags", new JsonArray().add(1)).put("rules", new JsonArray().add(Double.NaN))
                .put("colour", "red")))
                .containsExactly("key", "days", "ratio", "fee", "on", "every", "home", "tls", "tags", "rules",
                        "colour");
        assertThat(bad(new JsonObject().put("key", "k").put("days", 1.5))).containsExactly("days");
        assertThat(bad(new JsonObject().put("key", "k").put("days", new BigInteger("123456789012345678901"))))
                .containsExactly("days");
        assertThat(bad(new JsonObject().put("key", "k").put("fee", -1))).containsExactly("fee");
    }

    @Test
    void requiredSettingsAreRequiredWhenEnabled() {
        assertThat(bad(new JsonObject())).containsExactly("key");
        assertThat(PluginSetting.check(DECLARED, new JsonObject(), false)).isEmpty();
        assertThat(PluginSetting.check(DECLARED, new JsonObject().putNull("key"), true)).hasSize(1);
    }

    @Test
    void defaultsFillInWhatIsLeftOut() {
        assertThat(PluginSetting.withDefaults(DECLARED, new JsonObject().put("days", 3)))
                .isEqualTo(new JsonObject().put("days", 3).put("fee", "0.25"));
        assertThat(PluginSetting.secrets(DECLARED)).containsExactly("key");
    }

    @Test
    void aDeclarationThatCannotHoldIsRefused() {
        assertThatThrownBy(() -> PluginSetting.integer("n", "n").between(1, 10).defaultValue(11))
                .hasMessageContaining("default");
        assertThatThrownBy(() -> PluginSetting.bool("b", "b").secret(true)).hasMessageContaining("secret");
        assertThatThrownBy(() -> PluginSetting.string("a b", "x")).hasMessageContaining("name");
        assertThatThrownBy(() -> PluginSetting.check(List.of(PluginSetting.bool("b", "b"),
                PluginSetting.bool("b", "b")), new JsonObject(), false)).hasMessageContaining("twice");
    }
}
