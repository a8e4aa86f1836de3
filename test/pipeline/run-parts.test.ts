import { chmodSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { execa } from 'execa';
import { shellLibDir } from '../../src/pipeline/paths.js';

const RUN_PARTS = join(shellLibDir(), 'dib-run-parts');

describe('dib-run-parts', () => {
  let dir: string;
  let phase: string;
  const script = (name: string, body: string, mode = 0o755): void => {
    writeFileSync(join(phase, name), `#!/bin/bash\nset -eu\n${body}\n`);
    chmodSync(join(phase, name), mode);
  };
  beforeEach(() => {
    dir = mkdtempSync(join(tmpdir(), 'kiln-run-parts-'));
    phase = join(dir, 'install.d');
    mkdirSync(phase);
    mkdirSync(join(dir, 'environment.d'));
  });
  afterEach(() => rmSync(dir, { recursive: true, force: true }));

  it('runs executables in numeric order, skipping dotted and non-executable names', async () => {
    const log = join(dir, 'log');
    for (const name of ['10-c', '9-b', '02-a', '100-d', '10-b2', 'zz-no-number']) script(name, `echo ${name} >> ${log}`);
    script('50-dotted.sh', `echo dotted >> ${log}`);
    script('50-not-executable', `echo noexec >> ${log}`, 0o644);
    const listed = await execa('bash', [RUN_PARTS, '--list', phase]);
    expect(listed.stdout.split('\n')).toEqual(['zz-no-number', '02-a', '9-b', '10-b2', '10-c', '100-d']);
    await execa('bash', [RUN_PARTS, phase]);
    const { stdout } = await execa('cat', [log]);
    expect(stdout.split('\n')).toEqual(['zz-no-number', '02-a', '9-b', '10-b2', '10-c', '100-d']);
  });

  it('sources environment.d (sorted) before the scripts and passes the result on', async () => {
    writeFileSync(join(dir, 'environment.d', '20-second.bash'), 'export GREETING="$GREETING world"\n');
    writeFileSync(join(dir, 'environment.d', '10-first.bash'), 'export GREETING=hello\n');
    script('10-show', `echo "got: $GREETING" > ${join(dir, 'out')}`);
    await execa('bash', [RUN_PARTS, phase]);
    const { stdout } = await execa('cat', [join(dir, 'out')]);
    expect(stdout).toBe('got: hello world');
  });

  it('stops at the first failing script with its exit code', async () => {
    const log = join(dir, 'log');
    script('10-ok', `echo ok >> ${log}`);
    script('20-fail', 'exit 7');
    script('30-never', `echo never >> ${log}`);
    const result = await execa('bash', [RUN_PARTS, phase], { reject: false });
    expect(result.exitCode).toBe(7);
    const { stdout } = await execa('cat', [log]);
    expect(stdout).toBe('ok');
  });

  it('reports script start/end with exit code and seconds on KILN_EVENTS_FD, hidden from scripts', async () => {
    script('10-a', 'if { true >&3; } 2>/dev/null; then echo "fd3 leaked"; exit 1; fi');
    script('20-b', 'exit 0');
    const child = execa('bash', [RUN_PARTS, phase], {
      env: { KILN_EVENTS_FD: '3' },
      stdio: ['ignore', 'pipe', 'pipe', 'pipe'],
    });
    let events = '';
    (child.stdio[3] as NodeJS.ReadableStream).on('data', (d: Buffer) => (events += d.toString()));
    await child;
    const lines = events.trim().split('\n');
    expect(lines[0]).toBe('start 10-a');
    expect(lines[1]).toMatch(/^end 10-a 0 \d+\.\d{3}$/);
    expect(lines[2]).toBe('start 20-b');
    expect(lines[3]).toMatch(/^end 20-b 0 \d+\.\d{3}$/);
  });
});
