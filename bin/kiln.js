#!/usr/bin/env node
// Entry point installed as `kiln`; the CLI lives in dist/ after `npm run build`.
import { main } from '../dist/cli/main.js';

main(process.argv.slice(2)).then(
  (code) => { process.exitCode = code; },
  (err) => { process.stderr.write(`kiln: ${err instanceof Error ? err.message : String(err)}\n`); process.exitCode = 1; },
);
