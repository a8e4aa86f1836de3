import { sweepOrphanBuilds } from '../../resources/cleanup-build.js';
import { buildsDir } from '../../resources/state-dir.js';

/**
 * `kiln cleanup`: undo the resources (mounts, loop devices, temp dirs,
 * processes) of builds whose builder and worker are both dead. Builds with a
 * live owner belong to someone else and are left alone. Idempotent.
 */
export async function run(argv: string[]): Promise<number> {
  if (argv.includes('-h') || argv.includes('--help')) {
    process.stdout.write(`Usage: kiln cleanup\nUndoes what killed builds left behind (state in ${buildsDir()}).\n`);
    return 0;
  }
  const unknown = argv.filter((a) => a !== '-h' && a !== '--help');
  if (unknown.length > 0) {
    process.stderr.write(`kiln cleanup: unknown argument ${unknown[0]}\n`);
    return 2;
  }
  const results = await sweepOrphanBuilds(process.env, (line) => process.stdout.write(`${line}\n`));
  let failed = 0;
  for (const r of results) {
    failed += r.report.failed.length;
    process.stdout.write(`build ${r.buildId}: ${r.report.undone.length} undone, ${r.report.failed.length} failed\n`);
    for (const f of r.report.failed) process.stdout.write(`  ${f.reason}\n`);
  }
  if (results.length === 0) process.stdout.write('nothing to clean up\n');
  return failed === 0 ? 0 : 1;
}
