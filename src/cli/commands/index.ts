import type { Command, RawCommand } from '../command.js';
import { configValidateCommand } from './config-validate.js';
import { dibImageDeleteCommand, imageDeleteCommand } from './image-delete.js';
import { exportImageDataCommand, importImageDataCommand } from './image-data.js';
import { imageBuildCommand } from './image-build.js';
import { imagePauseCommand, imageUnpauseCommand } from './image-pause.js';
import { dibImageListCommand, imageListCommand } from './listing-commands.js';
import { imageStatusCommand } from './image-status.js';
import { alienImageListCommand } from './alien-image-list.js';
import { embeddedZooKeeperCommand } from './embedded-zookeeper.js';
import { builderCommand } from './builder.js';

// Kiln's own tools parse their own argv (DIB-compatible options). They are
// loaded only when run, so listing commands start fast.
const rawCommands: RawCommand[] = [
  {
    name: 'disk-image-create',
    summary: 'build an image from elements (diskimage-builder compatible)',
    raw: true,
    run: async (argv) => (await import('./disk-image-create.js')).run(argv),
  },
  {
    name: 'boot-test',
    summary: 'boot an image in QEMU (TCG) and wait for a login prompt',
    raw: true,
    run: async (argv) => (await import('./boot-test.js')).run(argv),
  },
  {
    name: 'cleanup',
    summary: 'undo mounts, loop devices and temp dirs left by killed builds',
    raw: true,
    run: async (argv) => (await import('./cleanup.js')).run(argv),
  },
];

/** Every `kiln` subcommand, in the order `kiln --help` lists them. */
export const commands: Array<Command | RawCommand> = [
  builderCommand,
  dibImageListCommand,
  imageListCommand,
  alienImageListCommand,
  imageStatusCommand,
  imageBuildCommand,
  imageDeleteCommand,
  dibImageDeleteCommand,
  imagePauseCommand,
  imageUnpauseCommand,
  exportImageDataCommand,
  importImageDataCommand,
  configValidateCommand,
  embeddedZooKeeperCommand,
  ...rawCommands,
];
