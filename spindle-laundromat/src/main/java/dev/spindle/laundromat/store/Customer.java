package dev.spindle.laundromat.store;

/** A registered customer: id, unique name, salted PBKDF2 password hash. */
public record Customer(long id, String name, byte[] passwordHash, byte[] salt) {}
