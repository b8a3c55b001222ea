package dev.creditline.plugins.vouchers;

import dev.creditline.api.spi.DashboardPage;
import jakarta.inject.Inject;
import org.pf4j.Extension;

/** The vouchers' page in the staff dashboard: the studio's codes, and a form to create one (dashboard/vouchers.js). */
@Extension
public final class VouchersPage implements DashboardPage {

    @Inject
    VouchersPage() {
    }

    @Override
    public String slug() {
        return "vouchers";
    }

    @Override
    public String title(String language) {
        return language.startsWith("de") ? "Gutscheine" : "Vouchers";
    }

    @Override
    public String module() {
        return "vouchers.js";
    }
}
