import type { Command } from '../command.js';
import { CliError } from '../cli-error.js';
import { followBuild } from '../follow-build.js';

/**
 * `image-build IMAGE [--follow [--verbose]]`: create the image's
 * `request-build` node (upstream messages). With --follow (Kiln), wait for the
 * build, stream its phases, and exit 0 when it is ready, 1 when it failed.
 */
export const imageBuildCommand: Command = {
  name: 'image-build',
  summary: 'request a build of a diskimage (--follow: stream it until it ends)',
  usage: 'IMAGE [--follow [--verbose]]',
  options: { follow: { type: 'boolean' }, verbose: { type: 'boolean' } },
  positionals: 1,
  async run(ctx, { positionals, values }) {
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
    const store = await ctx.store();
    const now = Date.now() / 1000;
    await store.submitBuildRequest(image);
    if (!values.follow) return 0;
    // Follow the build that serves the request: one started at or after the
    // request node was created (an earlier `image-build` may have made it).
    const since = (await store.getBuildRequest(image))?.stateTime ?? now;
    if (await store.getImagePaused(image)) {
      ctx.io.err(`note: ${image} is paused in ZooKeeper (kiln image-unpause ${image}); no builder will start it until then`);
    }
    const build = await followBuild({ store, image, buildLogDir: config.buildLogDir, since, io: ctx.io, verbose: values.verbose === true });
    ctx.io.err(`build ${image}-${build.id}: ${build.state}`);
    return build.state === 'ready' ? 0 : 1;
  },
};
