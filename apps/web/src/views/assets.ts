import { readFileSync } from 'node:fs';
import { join } from 'node:path';

export type AssetManifest = Record<string, string>;

/**
 * Reads the manifest the build wrote (logical name -> content-hashed file). Read once at start:
 * it is part of the build, not state, and every instance of one release has the same one.
 */
export function loadAssetManifest(assetsDir: string): AssetManifest {
  return JSON.parse(readFileSync(join(assetsDir, 'manifest.json'), 'utf8')) as AssetManifest;
}

export const ASSETS_PREFIX = '/assets/';
