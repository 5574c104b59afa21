// The read-only token of browser mode is kept in the data directory (0600), so a war-room wall
// screen opened on the printed `warroom` URL keeps working when the console restarts (a per-launch
// token left every wall dark until someone walked over with the new link). The console token stays
// per launch: it can act. `--new-readonly-token` replaces the kept one, revoking every old link.
import { randomBytes } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { tightenMode, writePrivateFileAtomic, PRIVATE_FILE_MODE } from './core/files/index.js';

export const READONLY_TOKEN_FILE = 'readonly-token';
/** 32 random bytes in base64url: what the transport issues, and all a kept file may hold. */
const TOKEN_FORMAT = /^[A-Za-z0-9_-]{43}$/;

export interface KeptToken {
  token: string;
  /** Why the token is new: never issued here before, the kept file was unreadable or invalid, or asked. */
  issued?: 'first' | 'replaced-invalid' | 'rotated';
}

/** The kept read-only token of `dataDir`, issuing (and keeping) a new one when there is none or `rotate`. */
export function keptReadonlyToken(dataDir: string, options: { rotate?: boolean } = {}): KeptToken {
  const path = join(dataDir, READONLY_TOKEN_FILE);
  let issued: KeptToken['issued'] = options.rotate ? 'rotated' : undefined;
  if (!issued) {
    try {
      const kept = readFileSync(path, 'utf8').trim();
      if (TOKEN_FORMAT.test(kept)) {
        tightenMode(path, PRIVATE_FILE_MODE);
        return { token: kept };
      }
      issued = 'replaced-invalid';
    } catch (error) {
      issued = (error as NodeJS.ErrnoException).code === 'ENOENT' ? 'first' : 'replaced-invalid';
    }
  }
  const token = randomBytes(32).toString('base64url');
  writePrivateFileAtomic(path, `${token}\n`);
  return { token, issued };
}
