// The build phase's asset step: bundles and minifies the browser code and styles into
// content-hashed files under dist/public, with manifest.json mapping logical names to them.
// Nothing is compiled at runtime.
import { mkdir, rm, writeFile } from 'node:fs/promises';
import { basename, extname } from 'node:path';
import { build } from 'esbuild';

const outdir = 'dist/public';
await rm(outdir, { recursive: true, force: true });
await mkdir(outdir, { recursive: true });
const result = await build({
  entryPoints: ['assets/app.ts', 'assets/app.css'],
  bundle: true,
  minify: true,
  sourcemap: false,
  format: 'esm',
  target: ['es2022'],
  outdir,
  entryNames: '[name]-[hash]',
  metafile: true,
  logLevel: 'warning',
});
const manifest = {};
for (const [file, output] of Object.entries(result.metafile.outputs)) {
  if (!output.entryPoint) continue;
  const logical = basename(output.entryPoint).replace(/\.ts$/, '.js');
  manifest[logical] = basename(file);
  if (extname(file) !== extname(logical)) throw new Error(`unexpected output ${file} for ${logical}`);
}
await writeFile(`${outdir}/manifest.json`, `${JSON.stringify(manifest, null, 2)}\n`);
console.log(`assets: ${Object.entries(manifest).map(([k, v]) => `${k} -> ${v}`).join(', ')}`);
