/**
 * The data in MariaDB through spindle-mysql: {@link dev.spindle.laundromat.store.Migrations} (the schema as
 * versioned, idempotent migrations recorded in {@code schema_version}) and {@link dev.spindle.laundromat.store.Store}
 * (one statement per method, values always bound).
 *
 * {@snippet :
 * Migrations.apply(pool, 10);
 * Store store = new Store(pool);
 * List<Wash> active = store.activeWashes();
 * }
 */
package dev.spindle.laundromat.store;
