import { rm } from 'node:fs/promises';

export default async function globalTeardown() {
  const server = globalThis.__KILN_TEST_ZK__;
  if (server) {
    await server.stop();
    await rm(server.dir, { recursive: true, force: true });
  }
}
