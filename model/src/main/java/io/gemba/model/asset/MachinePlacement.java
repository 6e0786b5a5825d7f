package io.gemba.model.asset;

/** A machine together with the line and factory it belongs to. */
public record MachinePlacement(Factory factory, Line line, Machine machine) {}
