package io.pointsledger.imports;

/** RUNNING until every row is read; FAILED when the file itself cannot be read on (not for bad rows). */
public enum ImportStatus {
    RUNNING,
    DONE,
    FAILED
}
