// A throwaway certificate authority and a server certificate for the demo API (SANs 127.0.0.1,
// ::1 and localhost). The CA goes into the kubeconfig as certificate-authority-data, so kubectl
// and client-node verify the server as they would a real cluster: no insecure-skip-tls-verify.
import { DEFAULT_CIPHERS } from 'node:tls';
import selfsigned from 'selfsigned';

const PREFERRED = 'TLS_AES_128_GCM_SHA256';

/**
 * Server-side TLS choices: AES-128-GCM first, the server's order honoured. Node clients (the
 * console's client-node) otherwise negotiate AES-256-GCM, about half as fast to encrypt and decrypt;
 * at 1,000 watch events/s to 50 watchers (~165 MB/s) the cipher is a large share of the server's
 * CPU. Go clients (kubectl) already prefer AES-128-GCM. Every other suite stays offered.
 */
export const DEMO_TLS_SERVER_OPTIONS = {
  ciphers: [PREFERRED, ...DEFAULT_CIPHERS.split(':').filter((c) => c !== PREFERRED)].join(':'),
  honorCipherOrder: true,
} as const;

export interface DemoTls {
  /** PEM of the CA that signed the server certificate (what clients trust). */
  caCert: string;
  key: string;
  cert: string;
}

export async function generateDemoTls(): Promise<DemoTls> {
  const notBeforeDate = new Date(Date.now() - 60 * 60 * 1000);
  const notAfterDate = new Date(Date.now() + 365 * 24 * 60 * 60 * 1000);
  const ca = await selfsigned.generate([{ name: 'commonName', value: 'flightdeck-demo-ca' }], {
    keyType: 'ec',
    algorithm: 'sha256',
    notBeforeDate,
    notAfterDate,
    extensions: [
      { name: 'basicConstraints', cA: true, critical: true },
      { name: 'keyUsage', keyCertSign: true, cRLSign: true, digitalSignature: true, critical: true },
    ],
  });
  const leaf = await selfsigned.generate([{ name: 'commonName', value: 'flightdeck-demo-apiserver' }], {
    keyType: 'ec',
    algorithm: 'sha256',
    notBeforeDate,
    notAfterDate,
    ca: { key: ca.private, cert: ca.cert },
    extensions: [
      { name: 'basicConstraints', cA: false },
      { name: 'keyUsage', digitalSignature: true, keyEncipherment: true, critical: true },
      { name: 'extKeyUsage', serverAuth: true },
      { name: 'subjectAltName', altNames: [{ type: 2, value: 'localhost' }, { type: 7, ip: '127.0.0.1' }, { type: 7, ip: '::1' }] },
    ],
  });
  return { caCert: ca.cert, key: leaf.private, cert: leaf.cert };
}
