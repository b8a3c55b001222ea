/**
 * PostgreSQL behind the ledger: schema migrations, repositories (SQL in one place each) and the transactions that
 * lock a member, read their lots, let the ledger decide and write lots and journal entries in one commit.
 */
package dev.creditline.store;
