/** Notifications by email over SMTP, with Vert.x's mail client. */
package dev.creditline.plugins.email;
