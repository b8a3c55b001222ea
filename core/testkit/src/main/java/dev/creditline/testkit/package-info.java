/** Test support shared by the modules: a fresh, migrated PostgreSQL database per test class. */
package dev.creditline.testkit;
