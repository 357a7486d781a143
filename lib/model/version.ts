/**
 * The version of runai-access, as package.json has it (test/version.test.ts fails when the two
 * differ): a constant, so that the bundle and its start-up snapshot carry it without reading a file.
 */
export const VERSION = '0.1.0';
