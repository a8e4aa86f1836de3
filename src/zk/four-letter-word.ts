import { connect } from 'node:net';

/**
 * Sends a ZooKeeper four-letter command (`srvr`, `mntr`, …) and returns the
 * reply, or null when nothing answers within `timeoutMs`.
 */
export function fourLetterWord(host: string, port: number, word: string, timeoutMs = 2000): Promise<string | null> {
  return new Promise((resolve) => {
    const socket = connect({ host, port });
    const chunks: Buffer[] = [];
    const done = (value: string | null): void => {
      socket.destroy();
      resolve(value);
    };
    socket.setTimeout(timeoutMs, () => done(null));
    socket.on('connect', () => socket.write(word));
    socket.on('data', (chunk) => chunks.push(chunk));
    socket.on('end', () => done(Buffer.concat(chunks).toString('utf8')));
    socket.on('error', () => done(null));
  });
}

/** `srvr` says `Mode: standalone|leader|follower` only when the server is serving (`ruok` lies). */
export async function isServing(host: string, port: number): Promise<boolean> {
  const reply = await fourLetterWord(host, port, 'srvr');
  return reply !== null && /^Mode: (standalone|leader|follower)$/m.test(reply);
}
