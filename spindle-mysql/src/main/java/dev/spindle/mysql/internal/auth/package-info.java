/**
 * The authentication plugins' proofs: mysql_native_password, caching_sha2_password and sha256_password scrambles,
 * RSA-OAEP password encryption, and MariaDB's client_ed25519 signature (Ed25519 over the password's SHA-512). Not API.
 */
package dev.spindle.mysql.internal.auth;
