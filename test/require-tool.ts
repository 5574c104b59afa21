// A test that needs a program on this machine fails, never skips, when the program is missing, and
// says what to install: `npm run test:integration` alone is then as strict as `npm test` (whose
// test/setup installs the Debian packages first).
import { accessSync, constants } from 'node:fs';
import { delimiter, isAbsolute, join } from 'node:path';

export const INSTALL_HINTS = {
  prometheus: 'install it: sudo apt-get install prometheus (or run `bash test/setup` as root)',
  promtool: 'promtool comes with Prometheus: sudo apt-get install prometheus (or run `bash test/setup` as root)',
  alertmanager: 'install it: sudo apt-get install prometheus-alertmanager (or run `bash test/setup` as root)',
  script: 'script(1) is in util-linux: sudo apt-get install bsdutils',
  kubectlVersion: (version: string) =>
    `kubectl.${version} is one of the version-suffixed kubectl binaries the Google Cloud SDK ships beside its kubectl ` +
    '(gcloud components install kubectl); the tests look for it in the folder of the kubectl on PATH',
} as const;

function executable(path: string): boolean {
  try {
    accessSync(path, constants.X_OK);
    return true;
  } catch {
    return false;
  }
}

/**
 * The path of the first of `names` that is executable (an absolute name as is, a bare one on
 * PATH); throws an error that names the program and how to install it when none is.
 */
export function requireTool(names: string | readonly string[], installHint: string, searchPath = process.env.PATH ?? ''): string {
  const wanted = typeof names === 'string' ? [names] : names;
  for (const name of wanted) {
    if (isAbsolute(name)) {
      if (executable(name)) return name;
      continue;
    }
    for (const dir of searchPath.split(delimiter)) {
      if (dir && executable(join(dir, name))) return join(dir, name);
    }
  }
  throw new Error(`${wanted.join(' / ')} not found ${wanted.every(isAbsolute) ? '' : 'on PATH '}— this test needs it; ${installHint}`);
}
