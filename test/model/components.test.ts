import { execa } from 'execa';
import { createTestZk, forceSessionExpiry, nextZkEvent, type TestZk } from '../support/zk-fixture.js';
import { builderComponentData, registerBuilderComponent } from '../../src/model/components.js';

let t: TestZk;
beforeEach(async () => {
  t = await createTestZk();
});
afterEach(async () => {
  await t.cleanup();
});

test('data is json.dumps(content, sort_keys=True) as BaseComponent writes it', async () => {
  const { stdout } = await execa('/usr/bin/python3', [
    '-c',
    'import json, sys; sys.stdout.write(json.dumps({"hostname": "nb01", "state": "stopped", "kind": "builder", "version": "0.1.0", "model_api": 0}, sort_keys=True))',
  ]);
  expect(builderComponentData('nb01', '0.1.0')).toBe(stdout);
});

test('registers an ephemeral sequential node named <hostname><10 digits> and unregisters it', async () => {
  const registration = await registerBuilderComponent(t.zk, { hostname: 'nb01.example.org', version: '0.1.0' });
  expect(registration.path).toMatch(/^\/nodepool\/components\/builder\/nb01\.example\.org\d{10}$/);
  const node = await t.zk.get(registration.path);
  expect(node?.data.toString()).toBe(
    '{"hostname": "nb01.example.org", "kind": "builder", "model_api": 0, "state": "stopped", "version": "0.1.0"}',
  );
  expect(node?.stat.ephemeralOwner).not.toBe('0');
  await registration.unregister();
  expect(await t.zk.exists(registration.path)).toBeNull();
});

test('re-registers after a real session expiry', async () => {
  const builder = await t.connectAnother({ timeoutSeconds: 4 });
  const registered: string[] = [];
  let reRegistered: (path: string) => void = () => undefined;
  const again = new Promise<string>((resolve) => (reRegistered = resolve));
  const registration = await registerBuilderComponent(builder, {
    hostname: 'nb02',
    version: null,
    onRegistered: (path) => {
      registered.push(path);
      if (registered.length === 2) reRegistered(path);
    },
  });
  const before = registration.path;
  expect(registered).toEqual([before]);
  const session = nextZkEvent(builder, 'session');
  await forceSessionExpiry(builder);
  expect(await t.zk.exists(before)).toBeNull(); // gone with the old session
  await session;

  // The re-registration is issued from the `session` listener.
  expect(await again).toBe(registration.path);
  expect(registration.path).not.toBe(before);
  expect(registration.path).toMatch(/^\/nodepool\/components\/builder\/nb02\d{10}$/);
  const node = await t.zk.get(registration.path);
  expect(node?.data.toString()).toBe('{"hostname": "nb02", "kind": "builder", "model_api": 0, "state": "stopped", "version": null}');
  expect(await t.zk.getChildren('/nodepool/components/builder')).toEqual([registration.path.split('/').pop()]);

  await registration.unregister();
  expect(await t.zk.getChildren('/nodepool/components/builder')).toEqual([]);
});
