/**
 * `image-delete` (one upload) and `dib-image-delete IMAGE-BUILDID` (a build and,
 * through cleanup, its uploads and files). Like upstream they only set the
 * record to `deleting` (resetting state_time) without taking a lock; any
 * builder's cleanup does the rest. Names and ids are validated by the model
 * before they become znode paths.
 */
import type { Command } from '../command.js';
import { CliError } from '../cli-error.js';
import { withState } from '../../model/record-state.js';
import type { BuildState, ImageBuild, ImageUpload, UploadState } from '../../model/types.js';

export const imageDeleteCommand: Command = {
  name: 'image-delete',
  summary: 'delete an uploaded image from a provider',
  usage: '--provider PROVIDER --image IMAGE --build-id BUILD_ID --upload-id UPLOAD_ID',
  options: {
    provider: { type: 'string' },
    image: { type: 'string' },
    'build-id': { type: 'string' },
    'upload-id': { type: 'string' },
  },
  positionals: 0,
  async run(ctx, { values }) {
    const missing = ['provider', 'image', 'build-id', 'upload-id'].filter((k) => typeof values[k] !== 'string');
    if (missing.length > 0) {
      throw new CliError('KILN_CLI_USAGE', `image-delete: the following arguments are required: ${missing.map((k) => `--${k}`).join(', ')}`, 2);
    }
    const image = values.image as string;
    const provider = values.provider as string;
    const buildId = values['build-id'] as string;
    const uploadId = values['upload-id'] as string;
    const store = await ctx.store();
    const upload = await store.getImageUpload(image, buildId, provider, uploadId);
    if (!upload) throw new CliError('KILN_CLI_NOT_FOUND', 'Image upload not found');
    if (upload.state === 'uploading') {
      throw new CliError('KILN_CLI_IN_PROGRESS', 'Cannot delete because image upload in progress');
    }
    await store.storeImageUpload(image, buildId, provider, withState<ImageUpload, UploadState>(upload, 'deleting'), uploadId);
    return 0;
  },
};

export const dibImageDeleteCommand: Command = {
  name: 'dib-image-delete',
  summary: 'delete a build (IMAGE-BUILDID) with its uploads and local files',
  usage: 'IMAGE-BUILDID',
  positionals: 1,
  async run(ctx, { positionals }) {
    const id = positionals[0] ?? '';
    // upstream: id.rsplit('-', 1)
    const dash = id.lastIndexOf('-');
    if (dash <= 0 || dash === id.length - 1) {
      throw new CliError('KILN_CLI_USAGE', `invalid dib image id ${JSON.stringify(id)}: expected IMAGE-BUILDID as shown by dib-image-list`, 2);
    }
    const image = id.slice(0, dash);
    const buildId = id.slice(dash + 1);
    const store = await ctx.store();
    const build = await store.getBuild(image, buildId);
    if (!build) throw new CliError('KILN_CLI_NOT_FOUND', `Build ${id} not found`);
    if (build.state === 'building') throw new CliError('KILN_CLI_IN_PROGRESS', 'Cannot delete a build in progress');
    await store.storeBuild(image, withState<ImageBuild, BuildState>(build, 'deleting'), buildId);
    return 0;
  },
};
