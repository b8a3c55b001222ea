/**
 * The Creditline plugin API: the value types of the ledger that plugins see. It holds no kernel or store class.
 */
module dev.creditline.api {
    requires transitive org.threeten.extra;

    exports dev.creditline.api;
}
