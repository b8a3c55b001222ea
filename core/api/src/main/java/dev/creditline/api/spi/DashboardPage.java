package dev.creditline.api.spi;

import dev.creditline.api.Role;
import java.util.Set;
import org.pf4j.ExtensionPoint;

/**
 * A page a plugin adds to the staff dashboard: an entry in its navigation, and a JavaScript module the dashboard
 * loads when the entry is chosen.
 *
 * <p>Every file under {@code dashboard/} in the plugin's own jar is served, without authentication (like the
 * dashboard's own assets: never put a secret there), at {@code /dashboard/plugins/<plugin id>/<file>}: JavaScript,
 * CSS, JSON, SVG and PNG files only, names of letters, digits, dots, dashes and underscores. {@link #module()} names
 * the page's ES module among them; it exports {@code render(element, context)}, and the dashboard calls it with the
 * element to draw into and a context whose {@code api(method, path, body)} calls the HTTP API as the signed-in
 * person, {@code download(path, filename)} saves what a path answers, {@code language} is the person's language and
 * {@code studio} the studio (see docs/plugins.md). All data comes from the HTTP API, the plugin's own routes included.
 *
 * <p>The navigation lists a plugin's pages for studios that enabled the plugin and for the roles of {@link #roles()}.
 * Every method must answer at once (they are called through the kernel's containment, like other extensions).
 */
public interface DashboardPage extends ExtensionPoint {

    /** The page's name, unique within the plugin, in its address {@code /dashboard/#/plugins/<id>/<slug>}. */
    String slug();

    /** The title in the navigation in the language asked ({@code "en"}, {@code "de"}); English when it has none. */
    String title(String language);

    /** The file under {@code dashboard/} in the plugin's jar that is the page's ES module, e.g. {@code "vouchers.js"}. */
    String module();

    /** Who sees the page: owners and coaches unless the plugin says otherwise (athletes never: the dashboard is staff's). */
    default Set<Role> roles() {
        return Set.of(Role.OWNER, Role.COACH);
    }
}
