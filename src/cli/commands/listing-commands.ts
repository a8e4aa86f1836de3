/**
 * `dib-image-list`, `image-list`: one parallel sweep of the
 * image tree, printed as upstream's table or (`--json`) upstream webapp's JSON.
 */
import type { Command } from '../command.js';
import type { CliContext } from '../cli-context.js';
import { readImageTree } from '../../model/tree-snapshot.js';
import type { ImageTreeSnapshot } from '../../model/types.js';
import { dibImageList, imageList, type Listing } from '../../status/listings.js';
import { renderJson, renderTable } from '../../status/render.js';

function listingCommand<T extends object>(
  name: string,
  summary: string,
  build: (tree: ImageTreeSnapshot) => Listing<T>,
  needsUploads: boolean,
): Command {
  return {
    name,
    summary,
    usage: '',
    positionals: 0,
    async run(ctx: CliContext): Promise<number> {
      const tree = await readImageTree(await ctx.zk(), { uploads: needsUploads });
      const listing = build(tree);
      ctx.io.out(ctx.options.json ? renderJson(listing) : renderTable(listing));
      return 0;
    },
  };
}

export const dibImageListCommand = listingCommand('dib-image-list', 'list images built with diskimage-builder', dibImageList, false);
export const imageListCommand = listingCommand('image-list', 'list images uploaded to providers', imageList, true);
