/**
 * What the file-system errors a write can meet mean, for the one line the user sees: the writer's
 * (`synth`) and `init`'s.
 */
const ERRNO_TEXT: Readonly<Record<string, string>> = {
  EACCES: 'permission denied',
  EPERM: 'operation not permitted',
  ENOSPC: 'no space left on device',
  EDQUOT: 'disk quota exceeded',
  EFBIG: 'a file would be larger than this process may write (ulimit -f)',
  EROFS: 'read-only file system',
  ENOENT: 'a folder on the path is missing, or this file system cannot make one there',
  ENOTDIR: 'a part of the path is a file, not a folder',
  ELOOP: 'its symbolic links form a loop',
  EEXIST: 'something already exists there',
  ENAMETOOLONG: 'the path is too long',
  EMFILE: 'too many open files',
  EIO: 'input/output error',
  EBUSY: 'the folder is busy',
  EXDEV: 'the folder is on another file system',
  ENOTEMPTY: 'the folder changed while it was written',
};

/** `permission denied (EACCES)`; a code without a text here is shown as it is. */
export function fsErrorText(code: string): string {
  return `${ERRNO_TEXT[code] ?? 'file-system error'} (${code})`;
}

/**
 * The code of a file-system error (`EACCES`, …), or undefined for anything else: Node's own
 * `ERR_…` codes mean a bug, which must not be reported as bad input.
 */
export function fsErrorCode(e: unknown): string | undefined {
  const code = (e as NodeJS.ErrnoException | undefined)?.code;
  return typeof code === 'string' && /^E[A-Z]+$/.test(code) ? code : undefined;
}
