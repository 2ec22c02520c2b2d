/**
 * The notebook file's name and number, in one place for the hosts, the CLI and the renderer (which
 * suggests file names): notebooks are JSON files ending in PROJECT_EXTENSION, in format
 * PROJECT_FORMAT_VERSION (older formats are upgraded on open, ./upgrade.ts).
 */

/** The format this version writes. */
export const PROJECT_FORMAT_VERSION = 3;

/** Notebook (project) files end in this. */
export const PROJECT_EXTENSION = '.accentlab';
