/**
 * The file access an engine is given (it opens no files itself): the server
 * passes node:fs; an engine built without it answers as if no file could be
 * opened.
 */
export interface EngineFiles {
  /** The whole file as bytes (latin1). Throws an Error with a `code` ('ENOENT', 'EACCES'...) on failure. */
  read(path: string): string;
  /** Writes the file atomically (a temporary file renamed over it). Throws on failure. */
  write(path: string, data: string): void;
}

/** strerror() of the errors a file operation gives, as glibc words them. */
export function strerror(e: unknown): string {
  const code = (e as { code?: string } | null)?.code;
  switch (code) {
    case 'ENOENT': return 'No such file or directory';
    case 'EACCES': return 'Permission denied';
    case 'EISDIR': return 'Is a directory';
    case 'ENOTDIR': return 'Not a directory';
    case 'EPERM': return 'Operation not permitted';
    case 'ENOSPC': return 'No space left on device';
    case 'EROFS': return 'Read-only file system';
    default: return e instanceof Error ? e.message : String(e);
  }
}
