package dev.timestep.data;

/** Train, validation and test sets. */
public record Splits(Dataset train, Dataset valid, Dataset test) {}
