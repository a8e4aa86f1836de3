import type { Command } from '../command.js';

/** `image-pause IMAGE` / `image-unpause IMAGE`: the ZooKeeper `pause` node (no config check, as upstream). */
export const imagePauseCommand: Command = {
  name: 'image-pause',
  summary: 'pause builds of an image (uploads continue)',
  usage: 'IMAGE',
  positionals: 1,
  async run(ctx, { positionals }) {
    const image = positionals[0] as string;
    await (await ctx.store()).pauseImage(image);
    return 0;
  },
};

export const imageUnpauseCommand: Command = {
  name: 'image-unpause',
  summary: 'resume builds of a paused image',
  usage: 'IMAGE',
  positionals: 1,
  async run(ctx, { positionals }) {
    const image = positionals[0] as string;
    await (await ctx.store()).unpauseImage(image);
    return 0;
  },
};
