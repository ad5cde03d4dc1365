/**
 * The REST API, on spindle-web: {@link dev.spindle.laundromat.api.CustomerRoutes} (register, log in, notifications),
 * {@link dev.spindle.laundromat.api.WashRoutes} (machines; start, look at, cancel washes; history), the models in
 * {@link dev.spindle.laundromat.api.Models} (records validated with Jakarta Validation: 422 on bad input), and two
 * dependencies: {@link dev.spindle.laundromat.api.CurrentCustomer} (the bearer token, 401 without) and
 * {@link dev.spindle.laundromat.api.RateLimited} (429 past the customer's rate). Swagger UI at {@code /docs}.
 *
 * {@snippet lang=text :
 * curl -X POST localhost:8000/customers -H 'content-type: application/json' -d '{"name":"ada","password":"correct horse"}'
 * curl -X POST localhost:8000/token     -H 'content-type: application/json' -d '{"name":"ada","password":"correct horse"}'
 * curl -X POST localhost:8000/washes    -H "authorization: Bearer $TOKEN" -H 'content-type: application/json' \
 *      -d '{"program":"cotton","minutes":30}'
 * }
 *
 * <p>Handlers run in their connection's coroutine on the service's loop and block freely (MariaDB, Redis, password
 * hashing in {@code toThread}).
 */
package dev.spindle.laundromat.api;
