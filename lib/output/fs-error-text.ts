/**
 * What the file-system errors a write can meet mean, for the one line the user sees: the writer's
 * (`synth`) and `init`'s.
 */
const ERRNO_TEXT: Readonly<Record<string, string>> = {
  EACCES: 'permission denied',
  EPERM: 'operation not permitted',
  ENOSPC: 'no space left on device',
  EDQUOT: 'disk quota exceeded',
  EROFS: 'read-only file system',
  ENOTDIR: 'a part of the path is a file, not a folder',
  EEXIST: 'something already exists there',
  ENAMETOOLONG: 'the path is too long',
  EMFILE: 'too many open files',
  EIO: 'input/output error',
  EBUSY: 'the folder is in use',
  EXDEV: 'the folder is on another file system',
  ENOTEMPTY: 'the folder changed while it was written',
};

/** `permission denied (EACCES)`; a code without a text here is shown as it is. */
export function fsErrorText(code: string): string {
  return `${ERRNO_TEXT[code] ?? 'file-system error'} (${code})`;
}
