package dev.creditline.store;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.HashSet;
import java.util.Set;
import org.junit.jupiter.api.Test;

class IdsTest {

    @Test
    void randomIdsArePrefixedAndDistinct() {
        Set<String> ids = new HashSet<>();
        for (int i = 0; i < 10_000; i++) {
            String id = Ids.next("mem");
            assertThat(id).matches("mem_[0-9a-hjkmnp-tv-z]{16}");
            ids.add(id);
        }
        assertThat(ids).hasSize(10_000);
    }

    @Test
    void derivedIdsFollowTheirSeed() {
        assertThat(Ids.derived("pur", "std_1/key-1")).isEqualTo(Ids.derived("pur", "std_1/key-1"))
                .isNotEqualTo(Ids.derived("pur", "std_1/key-2"))
                .matches("pur_[0-9a-hjkmnp-tv-z]{16}");
    }

    @Test
    void secretsAreLongAndUrlSafe() {
        assertThat(Ids.secret("clk_")).matches("clk_[A-Za-z0-9_-]{43}");
    }
}
