/**
 * `image-status`: upstream's table (Image, Paused, Build Request, Build Request
 * Age), then — Kiln only — a line per running build (elapsed, current phase
 * when its log is on this host) and per image whose automatic builds are
 * backing off after failures. `--json` rows carry them as `building` and
 * `backoff` keys.
 */
import type { Command } from '../command.js';
import { readImageTree } from '../../model/tree-snapshot.js';
import { readBackoff } from '../../builder/backoff.js';
import { imageStatus, type ImageStatusExtras } from '../../status/listings.js';
import { renderTable } from '../../status/render.js';
import { formatAge } from '../../status/age.js';
import { buildProgress, type BuildProgress } from '../build-progress.js';

export const imageStatusCommand: Command = {
  name: 'image-status',
  summary: 'list image build status (paused, build requests, backoff after failures)',
  usage: '',
  positionals: 0,
  async run(ctx) {
    const zk = await ctx.zk();
    const tree = await readImageTree(zk, { uploads: false });
    const backoffs = await Promise.all(tree.images.map(async (image) => [image.name, await readBackoff(zk, image.name)] as const));
    const extras: ImageStatusExtras = { backoff: new Map() };
    for (const [name, backoff] of backoffs) {
      if (backoff) extras.backoff.set(name, { failures: backoff.failures, until: backoff.until });
    }
    const listing = imageStatus(tree, extras);
    const { buildLogDir } = await ctx.config();
    const running = await Promise.all(
      tree.images.flatMap((image) => image.builds.filter((b) => b.build.state === 'building').map((b) => buildProgress(b.build, buildLogDir))),
    );
    if (ctx.options.json) {
      const byImage = new Map<string, BuildProgress[]>();
      for (const p of running) byImage.set(p.image, [...(byImage.get(p.image) ?? []), p]);
      const rows = listing.rows.map((row) => ({ ...row, building: byImage.get(row.image) ?? [] }));
      ctx.io.out(JSON.stringify(rows));
      return 0;
    }
    ctx.io.out(renderTable(listing));
    const now = Date.now() / 1000;
    for (const p of running) {
      const where = p.builder ? ` on ${p.builder}` : '';
      ctx.io.out(`building: ${p.image}-${p.buildId}${where} for ${formatAge(now - p.elapsed, now)}${p.phase ? `: ${p.phase}` : ''}`);
    }
    for (const [name, backoff] of extras.backoff) {
      if (backoff.until <= now) continue;
      // formatAge(now, until) = time left until `until`
      ctx.io.out(`backoff: ${name}: ${backoff.failures} failed build(s) in a row; next automatic build in ${formatAge(now, backoff.until)} (kiln image-build ${name} starts one now)`);
    }
    return 0;
  },
};
