package dev.creditline.plugins.automations;

import dev.creditline.api.spi.DashboardPage;
import jakarta.inject.Inject;
import org.pf4j.Extension;

/** The automations' page in the staff dashboard (dashboard/automations.js): each automation, pause and resume, its runs. */
@Extension
public final class AutomationsPage implements DashboardPage {

    @Inject
    AutomationsPage() {
    }

    @Override
    public String slug() {
        return "automations";
    }

    @Override
    public String title(String language) {
        return language.startsWith("de") ? "Automationen" : "Automations";
    }

    @Override
    public String module() {
        return "automations.js";
    }
}
