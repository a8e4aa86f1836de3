import { ChildCommand, isChildCommand, isParentMessage, ParentMessage } from '../../src/pipeline/worker/protocol.js';
import { BuildOutput } from '../../src/pipeline/parent/build-output.js';

describe('worker protocol', () => {
  it('recognises only typed messages', () => {
    expect(isParentMessage({ type: ParentMessage.PhaseStart, phase: 'root', placement: 'host' })).toBe(true);
    expect(isParentMessage({ type: 'phase-begin' })).toBe(false);
    expect(isParentMessage('phase root started')).toBe(false);
    expect(isParentMessage(null)).toBe(false);
    expect(isChildCommand({ type: ChildCommand.Start, plan: {} })).toBe(true);
    expect(isChildCommand({ type: 'stop' })).toBe(false);
  });

  it('renders progress for people from the typed events', () => {
    let text = '';
    const out = new BuildOutput({ env: { DIB_NO_TIMESTAMP: '1' } }, (t) => (text += t));
    out.handle({ type: ParentMessage.PhaseStart, phase: 'install', placement: 'chroot' });
    out.handle({ type: ParentMessage.ScriptEnd, phase: 'install', script: '10-x', exitCode: 0, seconds: 1.5 });
    out.handle({ type: ParentMessage.PhaseEnd, phase: 'install', seconds: 2.5, ok: false });
    out.handle({ type: ParentMessage.Error, code: 'KILN_PIPELINE_SCRIPT_FAILED', message: 'boom', permanent: false });
    expect(text).toContain('] phase install.d (chroot) started');
    expect(text).toContain('install.d/10-x: exit 0, 1.5 s');
    expect(text).toContain('] phase install.d FAILED in 2.5 s');
    expect(text).toContain('ERROR KILN_PIPELINE_SCRIPT_FAILED: boom');
    expect(text).not.toMatch(/^\d{4}-/m); // DIB_NO_TIMESTAMP=1
  });
});
