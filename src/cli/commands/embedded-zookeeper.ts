import type { Command } from '../command.js';
import { CliError } from '../cli-error.js';
import { embeddedStateDir, ensureEmbeddedZooKeeper, findEmbeddedZooKeeper, stopEmbeddedZooKeeper } from '../../embedded/embedded-zookeeper.js';

/** `embedded-zookeeper status|start|stop`: manage the embedded default server (config without zookeeper-servers). */
export const embeddedZooKeeperCommand: Command = {
  name: 'embedded-zookeeper',
  summary: 'status, start or stop the embedded ZooKeeper (used when the config has no zookeeper-servers)',
  usage: 'status|start|stop',
  positionals: 1,
  async run(ctx, { positionals }) {
    const config = await ctx.config();
    if (config.zookeeperServers.length > 0) {
      throw new CliError('KILN_CLI_NOT_EMBEDDED', `${config.configPath} names zookeeper-servers; the embedded ZooKeeper is not used`);
    }
    const dir = embeddedStateDir(config.imagesDir);
    switch (positionals[0]) {
      case 'status': {
        const info = await findEmbeddedZooKeeper(dir);
        ctx.io.out(info ? `running: pid ${info.pid}, 127.0.0.1:${info.port}, data in ${dir}` : `not running (data in ${dir})`);
        return info ? 0 : 3;
      }
      case 'start': {
        const server = await ensureEmbeddedZooKeeper(dir);
        ctx.io.out(`running: 127.0.0.1:${server.port}, data in ${dir}`);
        return 0;
      }
      case 'stop':
        ctx.io.out((await stopEmbeddedZooKeeper(dir)) ? 'stopped' : 'not running');
        return 0;
      default:
        throw new CliError('KILN_CLI_USAGE', `embedded-zookeeper: unknown action ${JSON.stringify(positionals[0])}; use status, start or stop`, 2);
    }
  },
};
