package dev.creditline.kernel.testing;

import com.fasterxml.jackson.databind.JsonNode;
import io.vertx.core.http.HttpMethod;
import io.vertx.ext.web.Route;
import io.vertx.ext.web.Router;
import java.util.Iterator;
import java.util.Set;
import java.util.TreeSet;
import java.util.function.Predicate;

/** The endpoints a router mounts and an OpenAPI document describes, as "METHOD /path/{param}" lines to compare. */
public final class RouteTable {
    private static final Set<String> METHODS = Set.of("get", "post", "put", "patch", "delete");

    private RouteTable() {
    }

    /** The router's endpoints whose path the filter keeps. */
    public static Set<String> mounted(Router router, Predicate<String> keepPath) {
        Set<String> mounted = new TreeSet<>();
        for (Route route : router.getRoutes()) {
            if (route.getPath() == null || route.methods() == null || route.methods().isEmpty()) {
                continue;
            }
            String path = route.getPath().replaceAll(":(\\w+)", "{$1}");
            if (keepPath.test(path)) {
                for (HttpMethod method : route.methods()) {
                    // Every GET takes HEAD as well; the document lists the GET.
                    if (method != HttpMethod.HEAD) {
                        mounted.add(method.name() + " " + path);
                    }
                }
            }
        }
        return mounted;
    }

    /** The document's operations that the filter keeps. */
    public static Set<String> documented(JsonNode openApi, Predicate<JsonNode> keepOperation) {
        Set<String> documented = new TreeSet<>();
        for (Iterator<String> paths = openApi.get("paths").fieldNames(); paths.hasNext(); ) {
            String path = paths.next();
            for (Iterator<String> methods = openApi.get("paths").get(path).fieldNames(); methods.hasNext(); ) {
                String method = methods.next();
                if (METHODS.contains(method) && keepOperation.test(openApi.get("paths").get(path).get(method))) {
                    documented.add(method.toUpperCase() + " " + path);
                }
            }
        }
        return documented;
    }
}
