import type { Secret } from './secret.js';

/**
 * Removes secret values from text that came from elsewhere (a server's error
 * body can echo a request). Applied to every message built from a response.
 */
export function redact(text: string, secrets: readonly Secret[]): string {
  let out = text;
  for (const secret of secrets) {
    const value = secret.reveal();
    // very short values would blank out ordinary words; they are not worth hiding by substitution
    if (value.length >= 4) out = out.split(value).join('***');
  }
  return out;
}

/** A short, single-line excerpt of a response body for error messages. */
export function excerpt(body: string, secrets: readonly Secret[], max = 300): string {
  const flat = redact(body, secrets).replace(/\s+/g, ' ').trim();
  return flat.length > max ? `${flat.slice(0, max)}…` : flat;
}
