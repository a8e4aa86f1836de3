/**
 * `post-upload-hook`: `<hook> <provider_name> <external_id> <local_filename>`
 * after a successful upload (upstream). A non-zero exit fails the upload.
 */
import { execa } from 'execa';
import { BuilderError } from './builder-error.js';

export async function runPostUploadHook(hook: string, provider: string, externalId: string, file: string, signal?: AbortSignal): Promise<void> {
  const result = await execa(hook, [provider, externalId, file], { reject: false, stdin: 'ignore', cancelSignal: signal, all: true });
  if (result.exitCode !== 0 || result.failed) {
    throw new BuilderError('KILN_BUILDER_HOOK_FAILED', `post-upload-hook ${hook} failed (${result.exitCode ?? result.shortMessage}): ${String(result.all ?? '').slice(-2000)}`);
  }
}
