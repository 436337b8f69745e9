import { existsSync, readdirSync, readFileSync, readlinkSync, statSync } from 'node:fs';

/**
 * The unnamed upload files in RAM (/dev/shm/samtykke-…, server/adapters/image.ts) a process
 * holds open, with their sizes and the /proc path they can be read through; none where there
 * is no /proc. Open files include those kept, emptied, for the next uploads.
 */
export function openRamFiles(pid: number | 'self' = 'self'): { target: string; size: number; path: string }[] {
  const dir = `/proc/${pid}/fd`;
  if (!existsSync(dir)) return [];
  return readdirSync(dir).flatMap((fd) => {
    try {
      const path = `${dir}/${fd}`;
      const target = readlinkSync(path);
      return target.startsWith('/dev/shm/samtykke-') ? [{ target, size: statSync(path).size, path }] : [];
    } catch {
      // Closed in between.
      return [];
    }
  });
}

/** The open RAM files that hold anything but zeros: an upload's bytes, not a kept, emptied file. */
export function ramFilesHoldingData(pid: number | 'self' = 'self'): { target: string; size: number }[] {
  return openRamFiles(pid).filter((f) => {
    try {
      const holds = readFileSync(f.path).some((byte) => byte !== 0);
      // The descriptor's number may have gone to another file in between: then this one is closed.
      return holds && readlinkSync(f.path) === f.target;
    } catch (err) {
      // Closed in between: it holds nothing. Any other failure to read it is not taken for clean.
      const code = (err as NodeJS.ErrnoException).code;
      return code !== 'ENOENT' && code !== 'EBADF';
    }
  });
}
