/**
 * The notebook file's name and number, in one place for the hosts, the CLI and the renderer (which
 * suggests file names): notebooks are JSON files ending in NOTEBOOK_EXTENSION, in format
 * NOTEBOOK_FORMAT_VERSION (older formats are upgraded on open, ./upgrade.ts).
 */

/** The format this version writes. */
export const NOTEBOOK_FORMAT_VERSION = 3;

/** Notebook files end in this (they did when notebooks were called projects: files never changed). */
export const NOTEBOOK_EXTENSION = '.accentlab';
