import { existsSync, readdirSync, readlinkSync, statSync } from 'node:fs';

/**
 * The unnamed upload files in RAM (/dev/shm/samtykke-…, server/adapters/image.ts) a process
 * holds open, with their sizes, read from /proc; none where there is no /proc.
 */
export function openRamFiles(pid: number | 'self' = 'self'): { target: string; size: number }[] {
  const dir = `/proc/${pid}/fd`;
  if (!existsSync(dir)) return [];
  return readdirSync(dir).flatMap((fd) => {
    try {
      const target = readlinkSync(`${dir}/${fd}`);
      return target.startsWith('/dev/shm/samtykke-') ? [{ target, size: statSync(`${dir}/${fd}`).size }] : [];
    } catch {
      // Closed in between.
      return [];
    }
  });
}
