/** The PACKAGES=( … ) list of deploy/setup-host.sh, comments dropped. */
export function setupHostPackages(script: string): string[] {
  const body = /PACKAGES=\(([\s\S]*?)\n\)/.exec(script)?.[1];
  if (body === undefined) throw new Error('deploy/setup-host.sh has no PACKAGES=( … ) list');
  return body
    .split('\n')
    .map((line) => line.replace(/#.*/, ''))
    .flatMap((line) => line.trim().split(/\s+/))
    .filter((word) => word !== '');
}
