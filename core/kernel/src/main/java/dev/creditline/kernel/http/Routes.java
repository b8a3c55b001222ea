package dev.creditline.kernel.http;

import io.vertx.ext.web.Router;

/** One resource's routes; the kernel mounts every bound set on its router. */
public interface Routes {
    /** Adds this resource's routes. Authentication of {@code /v1} is already in place. */
    void mount(Router router);
}
