/**
 * Automations: a trigger (a member created, tagged or untagged, a purchase completed, a balance below a threshold,
 * credits expiring within days, a schedule) and an action (grant credits, add or remove a tag, notify), stored per
 * studio, fired exactly once per due time or event, run for each member once, and logged.
 */
package dev.creditline.plugins.automations;
