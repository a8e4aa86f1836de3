import type { Command } from '../command.js';
import { CliError } from '../cli-error.js';

/** `image-build IMAGE`: create the image's `request-build` node (upstream messages). */
export const imageBuildCommand: Command = {
  name: 'image-build',
  summary: 'request a build of a diskimage',
  usage: 'IMAGE',
  positionals: 1,
  async run(ctx, { positionals }) {
    const [image = ''] = positionals;
    const config = await ctx.config();
    const diskimage = config.diskimages.get(image);
    if (!diskimage) {
      throw new CliError('KILN_CLI_UNKNOWN_IMAGE', `Trying to build a non disk-image-builder image: ${image}`);
    }
    // Upstream checks only the config pause here, not the ZooKeeper pause node.
    if (diskimage.pause) {
      throw new CliError('KILN_CLI_IMAGE_PAUSED', `Skipping build request for image ${image}; paused`);
    }
    await (await ctx.store()).submitBuildRequest(image);
    return 0;
  },
};
