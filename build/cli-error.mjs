// What the `utt` command refuses before it starts: bad usage, and files it
// cannot read. Each is one line on stderr and exit 2, never a Node stack.
import { readFileSync } from 'node:fs';
import { locateJsonError } from './locate.mjs';

export class CliError extends Error {
  /** @param {string} message @param {{ usage?: boolean }} [options] `usage`: print the command's usage after it */
  constructor(message, { usage = false } = {}) {
    super(message);
    this.usage = usage;
  }
}

/**
 * A file the user named, as text; a CliError naming it when it cannot be read.
 * @param {string} file @param {string} option the option that named it, as the message shows it
 */
export function readText(file, option) {
  try {
    return readFileSync(file, 'utf8');
  } catch (err) {
    throw new CliError(`${option} ${file}: cannot read it (${why(err)})`);
  }
}

/** Why a file system call failed, in words. @param {any} err */
export const why = (err) =>
  ({
    ENOENT: 'it does not exist',
    EISDIR: 'a folder, not a file',
    ENOTDIR: 'not a folder',
    EACCES: 'permission denied',
  })[err.code] ??
  err.code ??
  err.message;

/** A JSON file the user named, parsed; a CliError with its line and column when it is not JSON. */
export function readJson(file, option) {
  const text = readText(file, option);
  try {
    return { text, json: JSON.parse(text) };
  } catch (err) {
    const { line, column } = locateJsonError(text, err);
    throw new CliError(`${option} ${file}:${line}:${column}: not valid JSON (${err.message})`);
  }
}
