/**
 * The trainer-bound plugin: a leaving trainer's credits are transferred, extended or refunded. (That a lot bound to a
 * trainer pays only for that trainer's schedulers is the kernel's rule, with or without this plugin.)
 */
package dev.creditline.plugins.trainerbound;
