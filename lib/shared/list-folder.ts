import { readdir } from 'node:fs/promises';

/**
 * The names in `dir`; none when the folder does not exist yet (a store that has written nothing). Any other
 * failure (permissions, a file where the folder should be) is thrown: that is a problem to report, not "empty".
 */
export async function listFolder(dir: string): Promise<string[]> {
  try {
    return await readdir(dir);
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return [];
    throw error;
  }
}
