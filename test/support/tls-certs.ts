/**
 * Generates a throwaway PKI with openssl (through execa) for ZooKeeper TLS
 * tests: a CA, a server certificate and a client certificate, both for
 * 127.0.0.1/localhost and both usable for server and client auth (ZooKeeper
 * also verifies the client's certificate against its address). The server
 * keystore is the PEM ZooKeeper wants: certificate followed by the unencrypted
 * PKCS#8 key (toolchain.md §3). cleanup() removes the directory.
 */
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { execa } from 'execa';

export interface TestCerts {
  dir: string;
  /** CA certificate (PEM): ZooKeeper's trust store and the clients' `ca` */
  ca: string;
  /** server certificate followed by its PKCS#8 key: ZooKeeper's `ssl.keyStore.location` */
  serverKeyStore: string;
  /** client certificate and key: `zookeeper-tls` cert/key */
  clientCert: string;
  clientKey: string;
  cleanup(): Promise<void>;
}

const SUBJECT_ALT_NAMES = 'subjectAltName=IP:127.0.0.1,DNS:localhost';
const DAYS = '2';

export async function generateTestCerts(): Promise<TestCerts> {
  const dir = await mkdtemp(join(tmpdir(), 'kiln-test-tls-'));
  const file = (name: string): string => join(dir, name);
  try {
    await openssl(['req', '-x509', '-newkey', 'rsa:2048', '-nodes', '-keyout', file('ca.key'), '-out', file('ca.pem'),
      '-days', DAYS, '-subj', '/CN=kiln-test-ca']);
    await writeFile(file('leaf.ext'), `${SUBJECT_ALT_NAMES}\nextendedKeyUsage=serverAuth,clientAuth\n`);
    for (const name of ['server', 'client']) await issue(file, name);
    await openssl(['pkcs8', '-topk8', '-nocrypt', '-in', file('server.key'), '-out', file('server.pk8')]);
    const keyStore = Buffer.concat([await readFile(file('server.pem')), await readFile(file('server.pk8'))]);
    await writeFile(file('server-keystore.pem'), keyStore);
  } catch (err) {
    await rm(dir, { recursive: true, force: true });
    throw err;
  }
  return {
    dir,
    ca: file('ca.pem'),
    serverKeyStore: file('server-keystore.pem'),
    clientCert: file('client.pem'),
    clientKey: file('client.key'),
    cleanup: () => rm(dir, { recursive: true, force: true }),
  };
}

async function issue(file: (name: string) => string, name: string): Promise<void> {
  await openssl(['req', '-newkey', 'rsa:2048', '-nodes', '-keyout', file(`${name}.key`), '-out', file(`${name}.csr`),
    '-subj', `/CN=kiln-test-${name}`]);
  await openssl(['x509', '-req', '-in', file(`${name}.csr`), '-CA', file('ca.pem'), '-CAkey', file('ca.key'),
    '-CAcreateserial', '-out', file(`${name}.pem`), '-days', DAYS, '-extfile', file('leaf.ext')]);
}

async function openssl(args: string[]): Promise<void> {
  await execa('openssl', args);
}
