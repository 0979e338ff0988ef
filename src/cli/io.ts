/**
 * File input and output for the CLI: reading a rules file or stdin, and writing an output file
 * whole or not at all (a temporary file in the same directory, then rename).
 */

import { randomBytes } from 'node:crypto';
import { closeSync, fsyncSync, openSync, readFileSync, renameSync, rmSync, statSync, writeSync } from 'node:fs';
import { basename, dirname, join } from 'node:path';

/** A usage or file-system problem: one line for the user, exit status 2. */
export class UsageError extends Error {}

const reasons: Record<string, string> = {
  ENOENT: 'no such file or directory',
  EACCES: 'permission denied',
  EPERM: 'operation not permitted',
  EISDIR: 'it is a directory',
  ENOTDIR: 'a part of the path is not a directory',
  ENOSPC: 'no space left on the device',
  EROFS: 'read-only file system',
  EDQUOT: 'disk quota exceeded',
};

/** A short reason for a file-system error. */
export function reason(error: unknown): string {
  const code = (error as NodeJS.ErrnoException | undefined)?.code;
  return (code && reasons[code]) ?? (error instanceof Error ? error.message : String(error));
}

/** Reads a rules file ('-' is stdin) as UTF-8 text. */
export function readInput(path: string): string {
  try {
    if (path === '-') return readFileSync(0, 'utf8');
    if (statSync(path).isDirectory()) throw Object.assign(new Error('directory'), { code: 'EISDIR' });
    return readFileSync(path, 'utf8');
  } catch (error) {
    throw new UsageError(`cannot read '${path}': ${reason(error)}`);
  }
}

/** Reads a file that may not exist yet (null then), such as a generated file to compare with. */
export function readExisting(path: string): string | null {
  try {
    if (statSync(path).isDirectory()) throw Object.assign(new Error('directory'), { code: 'EISDIR' });
    return readFileSync(path, 'utf8');
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return null;
    throw new UsageError(`cannot read '${path}': ${reason(error)}`);
  }
}

/** Reads an included file for the compiler: throws an Error whose message is the reason. */
export function readInclude(path: string): string {
  try {
    if (statSync(path).isDirectory()) throw Object.assign(new Error('directory'), { code: 'EISDIR' });
    return readFileSync(path, 'utf8');
  } catch (error) {
    throw new Error(reason(error));
  }
}

/** Writes `text` to `path` atomically: the old file stays intact if anything fails. */
export function writeAtomic(path: string, text: string): void {
  const temp = join(dirname(path), `.${basename(path)}.${randomBytes(6).toString('hex')}.tmp`);
  let fd: number | undefined;
  try {
    fd = openSync(temp, 'wx', 0o644);
    writeSync(fd, text);
    fsyncSync(fd);
    closeSync(fd);
    fd = undefined;
    renameSync(temp, path);
  } catch (error) {
    if (fd !== undefined) closeSync(fd);
    rmSync(temp, { force: true });
    throw new UsageError(`cannot write '${path}': ${reason(error)}`);
  }
}
