import { readFile } from 'node:fs/promises';
import { createRequire } from 'node:module';
import { gzipSync } from 'node:zlib';

/** One file the daemon serves to the pages itself: the pages never load anything from anywhere else. */
interface Asset {
  /** A module path resolved through node_modules. */
  readonly module: string;
  readonly type: string;
}

const require = createRequire(import.meta.url);

/** uPlot's version, part of the asset paths so a browser never keeps an old copy after an upgrade. */
export const UPLOT_VERSION = uplotVersion();

function uplotVersion(): string {
  try {
    return (require('uplot/package.json') as { version: string }).version;
  } catch {
    // A broken install: the page still works, its chart stays the server-drawn SVG (the asset is a 500).
    return 'missing';
  }
}

/** Where the host page loads uPlot from: a path of ours on the daemon's own listener, never a CDN. */
export const UPLOT_SCRIPT_PATH = `/assets/uplot-${UPLOT_VERSION}.min.js`;
export const UPLOT_STYLE_PATH = `/assets/uplot-${UPLOT_VERSION}.min.css`;

const ASSETS: Readonly<Record<string, Asset>> = {
  [UPLOT_SCRIPT_PATH]: { module: 'uplot/dist/uPlot.iife.min.js', type: 'text/javascript; charset=utf-8' },
  [UPLOT_STYLE_PATH]: { module: 'uplot/dist/uPlot.min.css', type: 'text/css; charset=utf-8' },
};

/** A loaded asset: its bytes, gzipped once, and its content type. */
export interface LoadedAsset {
  readonly type: string;
  readonly body: Buffer;
  readonly gzipped: Buffer;
}

/**
 * The static files of the status pages (uPlot's script and style sheet), read from node_modules on first
 * use and then kept in memory (about 50 KB).
 */
export class StatusAssets {
  private readonly loaded = new Map<string, Promise<LoadedAsset>>();

  /** Whether `path` names an asset. */
  has(path: string): boolean {
    return Object.hasOwn(ASSETS, path);
  }

  /** The asset at `path`; rejects when its file cannot be read (a broken install). */
  get(path: string): Promise<LoadedAsset> {
    const asset = ASSETS[path];
    if (!asset) return Promise.reject(new Error(`no asset ${path}`));
    let found = this.loaded.get(path);
    if (!found) {
      found = readFile(require.resolve(asset.module)).then((body) => ({
        type: asset.type,
        body,
        gzipped: gzipSync(body),
      }));
      // A failed read is tried again on the next request rather than remembered.
      found.catch(() => this.loaded.delete(path));
      this.loaded.set(path, found);
    }
    return found;
  }
}
