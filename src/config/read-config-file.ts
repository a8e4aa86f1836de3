/**
 * Read one YAML config file as upstream's openConfig does: retry a missing
 * file, substitute `%(NODEPOOL_xxx)`, parse with PyYAML's rules.
 */
import { readFile } from 'node:fs/promises';
import { setTimeout as sleep } from 'node:timers/promises';
import type { Document } from 'yaml';
import { ConfigError } from '../errors/config-error.js';
import { throwIfIssues, toConfigError } from './config-issue.js';
import { parsePyYaml } from './pyyaml-compat.js';
import { findUnsetReferences, substituteEnv } from './substitute-env.js';

export interface ParsedConfigFile {
  /** absolute path */
  path: string;
  /** the document as plain data; null for an empty file */
  data: unknown;
  /** the parsed document, for facts plain data loses (float vs int) */
  doc: Document.Parsed;
}

export interface ReadOptions {
  env: NodeJS.ProcessEnv;
  /** ENOENT retries (upstream: 3) */
  retries?: number;
  /** delay between them (upstream: 0.5 s) */
  retryDelayMs?: number;
}

export async function readConfigFile(path: string, options: ReadOptions): Promise<ParsedConfigFile> {
  const text = await readWithRetry(path, options.retries ?? 3, options.retryDelayMs ?? 500);
  const doc = parsePyYaml(substituteEnv(text, options.env));
  if (doc.errors.length > 0) {
    const issues = doc.errors.map((err) => ({ keyPath: '', problem: `invalid YAML: ${firstLine(err.message)}` }));
    throw toConfigError(path, issues, 'KILN_CONFIG_YAML');
  }
  const data: unknown = doc.toJS();
  throwIfIssues(path, findUnsetReferences(data), 'KILN_CONFIG_MISSING_ENV');
  return { path, data, doc };
}

/**
 * Editors and config-management tools replace files by rename, so a reload can
 * race with a moment where the file does not exist: retry ENOENT a few times.
 */
async function readWithRetry(path: string, retries: number, delayMs: number): Promise<string> {
  for (let attempt = 0; ; attempt++) {
    try {
      return await readFile(path, 'utf8');
    } catch (err) {
      const code = (err as NodeJS.ErrnoException).code;
      if (code === 'ENOENT' && attempt < retries) {
        await sleep(delayMs);
        continue;
      }
      if (code === 'ENOENT') {
        throw new ConfigError(path, '', 'file not found', 'KILN_CONFIG_NOT_FOUND');
      }
      const reason = err instanceof Error ? err.message : String(err);
      throw new ConfigError(path, '', `cannot read the file: ${reason}`, 'KILN_CONFIG_UNREADABLE');
    }
  }
}

function firstLine(message: string): string {
  return (message.split('\n')[0] ?? message).replace(/:$/, '');
}
