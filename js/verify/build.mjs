// Build the vendored browser bundle, stamped with the SHA-256 of its sources
// (src/*.js and package-lock.json) so a test can tell a stale bundle.
//   npm ci && npm run build
import { createHash } from 'node:crypto';
import { readdirSync, readFileSync } from 'node:fs';
import { build } from 'esbuild';

const files = ['package-lock.json', ...readdirSync('src').filter((f) => f.endsWith('.js')).sort().map((f) => `src/${f}`)];
const hash = createHash('sha256');
for (const f of files) {
  hash.update(f + '\0');
  hash.update(readFileSync(f));
  hash.update('\0');
}
await build({
  entryPoints: ['src/index.js'], bundle: true, format: 'iife', globalName: 'SuichaVerify',
  target: 'es2020', legalComments: 'inline', outfile: '../../server/static/draw/suicha-verify.js',
  banner: { js: `/* suicha-verify: built from js/verify sources-sha256 ${hash.digest('hex')} */` },
});
