/**
 * The Creditline plugin API: the ledger's value types, the extension points plugins implement and the services the
 * kernel gives them. It holds no kernel or store class; plugins compile against this module alone.
 */
module dev.creditline.api {
    requires transitive org.threeten.extra;
    requires transitive pf4j;
    requires transitive io.vertx.core;
    requires transitive io.vertx.web;
    requires transitive io.vertx.sql.client;
    requires transitive micrometer.core;

    exports dev.creditline.api;
    exports dev.creditline.api.spi;
}
