import { writeFile } from 'node:fs/promises';
import path from 'node:path';
import type { NetnsLab } from '../../test/support/netns-lab.js';

/** Every tenth host is silent: routed into the lab but owned by nobody there, so no reply ever comes. */
export const SILENT_EVERY = 10;

/** `count` lab addresses, every {@link SILENT_EVERY}th one silent, spread through the list as in life. */
export function benchHosts(lab: NetnsLab, count: number): { hosts: string[]; silent: number } {
  const hosts: string[] = [];
  let silent = 0;
  for (let i = 0; i < count; i++) {
    if (i % SILENT_EVERY === SILENT_EVERY - 1) {
      hosts.push(lab.largeSilentHost(i));
      silent += 1;
    } else {
      hosts.push(lab.largeAnsweringHost(i));
    }
  }
  return { hosts, silent };
}

/** hosts.csv text for `hosts`, each with a description and location like a real inventory. */
export function hostsCsv(hosts: readonly string[]): string {
  return `host,description,location\n${hosts.map((host, i) => `${host},Switch ${i + 1},Building ${(i % 40) + 1}`).join('\n')}\n`;
}

/** Writes fping's target list (one host a line) to `dir` and returns its path. */
export async function writeTargetList(dir: string, hosts: readonly string[]): Promise<string> {
  const file = path.join(dir, 'targets.txt');
  await writeFile(file, `${hosts.join('\n')}\n`);
  return file;
}
