// HTTPS for browser mode off loopback: a certificate given with --tls-cert/--tls-key, or a
// self-signed one generated once and kept in the data directory (files 0600) so its fingerprint,
// which the operator checks in the browser, stays the same from one start to the next.
import { X509Certificate, createPrivateKey } from 'node:crypto';
import { chmodSync, existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { isIP } from 'node:net';
import { join } from 'node:path';
import { createSecureContext } from 'node:tls';

export interface TlsMaterial {
  /** PEM certificate (chain). */
  cert: string;
  /** PEM private key. */
  key: string;
}

const CERT_FILE = 'browser-mode-cert.pem';
const KEY_FILE = 'browser-mode-key.pem';
const VALID_DAYS = 365;
const DAY_MS = 24 * 60 * 60 * 1000;

/** Reads a certificate and its key, with an error a person can act on when they do not fit. */
export function readTlsFiles(certPath: string, keyPath: string): TlsMaterial {
  const read = (path: string, what: string) => {
    try {
      return readFileSync(path, 'utf8');
    } catch (error) {
      throw new Error(`cannot read the TLS ${what} ${path}: ${error instanceof Error ? error.message : String(error)}`);
    }
  };
  const material = { cert: read(certPath, 'certificate'), key: read(keyPath, 'key') };
  try {
    createSecureContext(material);
  } catch (error) {
    throw new Error(`the TLS certificate ${certPath} and key ${keyPath} do not make a usable pair: ${error instanceof Error ? error.message : String(error)}`);
  }
  return material;
}

/** SHA-256 fingerprint, as browsers show it (AB:CD:…). */
export const fingerprintOf = (cert: string): string => new X509Certificate(cert).fingerprint256;

/** DNS names and IP addresses a certificate is valid for (its subjectAltName). */
export function certificateNames(cert: string): string[] {
  const san = new X509Certificate(cert).subjectAltName ?? '';
  return san
    .split(',')
    .map((entry) => /^\s*(?:DNS|IP Address):(.+)$/.exec(entry)?.[1].trim())
    .filter((name): name is string => !!name && !name.startsWith('*'));
}

/**
 * The self-signed certificate kept in `dir`, made anew when missing, about to expire, or not valid
 * for one of `names` (the machine's addresses changed). `created` says which happened.
 */
export async function selfSignedCertificate(dir: string, names: readonly string[]): Promise<TlsMaterial & { created: boolean }> {
  const certPath = join(dir, CERT_FILE);
  const keyPath = join(dir, KEY_FILE);
  if (existsSync(certPath) && existsSync(keyPath)) {
    const kept = { cert: readFileSync(certPath, 'utf8'), key: readFileSync(keyPath, 'utf8') };
    if (stillGood(kept, names)) return { ...kept, created: false };
  }
  const { default: selfsigned } = await import('selfsigned');
  const now = Date.now();
  const made = await selfsigned.generate([{ name: 'commonName', value: 'Flightdeck browser mode' }], {
    keyType: 'ec',
    algorithm: 'sha256',
    notBeforeDate: new Date(now - 60 * 60 * 1000),
    notAfterDate: new Date(now + VALID_DAYS * DAY_MS),
    extensions: [
      { name: 'basicConstraints', cA: false },
      { name: 'keyUsage', digitalSignature: true, keyEncipherment: true, critical: true },
      { name: 'extKeyUsage', serverAuth: true },
      { name: 'subjectAltName', altNames: names.map((n) => (isIP(n) ? { type: 7 as const, ip: n } : { type: 2 as const, value: n })) },
    ],
  });
  mkdirSync(dir, { recursive: true, mode: 0o700 });
  for (const [path, text] of [
    [keyPath, made.private],
    [certPath, made.cert],
  ] as const) {
    writeFileSync(path, text, { mode: 0o600 });
    chmodSync(path, 0o600); // the mode above only applies to a new file
  }
  return { cert: made.cert, key: made.private, created: true };
}

function stillGood(material: TlsMaterial, names: readonly string[]): boolean {
  try {
    const cert = new X509Certificate(material.cert);
    if (Date.parse(cert.validTo) - Date.now() < 30 * DAY_MS) return false;
    if (!cert.checkPrivateKey(createPrivateKey(material.key))) return false;
    return names.every((n) => (isIP(n) ? cert.checkIP(n) : cert.checkHost(n)) !== undefined);
  } catch {
    return false;
  }
}
