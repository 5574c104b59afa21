import { describe, expect, it } from 'vitest';
import { CliError, parseArgs } from '../../electron/cli-args.js';

describe('command line', () => {
  it('binds browser mode to loopback unless an address is given', () => {
    expect(parseArgs(['--serve']).serve).toEqual({ host: '127.0.0.1', port: 0 });
    expect(parseArgs(['--serve=0.0.0.0:8080']).serve).toEqual({ host: '0.0.0.0', port: 8080 });
    expect(parseArgs(['--serve=:9000']).serve).toEqual({ host: '127.0.0.1', port: 9000 });
    expect(parseArgs([]).serve).toBeUndefined();
  });

  it('reads the demo knobs and the kubeconfig', () => {
    const args = parseArgs(['--demo', '--demo-nodes', '1000', '--demo-pods=10000', '--kubeconfig', '/k', '--no-prometheus']);
    expect(args).toMatchObject({ demo: true, demoNodes: 1000, demoPods: 10000, kubeconfig: '/k', prometheus: false });
  });

  it('reads a TLS certificate and key, only as a pair', () => {
    expect(parseArgs(['--serve=0.0.0.0:8443', '--tls-cert', '/c.pem', '--tls-key=/k.pem'])).toMatchObject({ tlsCert: '/c.pem', tlsKey: '/k.pem' });
    expect(parseArgs(['--serve']).tlsCert).toBeUndefined();
    expect(() => parseArgs(['--tls-cert', '/c.pem'])).toThrow(/go together/);
    expect(() => parseArgs(['--tls-key', '/k.pem'])).toThrow(/go together/);
    expect(() => parseArgs(['--tls-cert', '--tls-key', '/k.pem'])).toThrow(/--tls-cert needs a file path/);
    expect(() => parseArgs(['--tls-certificate', '/c.pem'])).toThrow(/Unknown option/);
  });

  it('explains bad input', () => {
    expect(() => parseArgs(['--demo-nodes', 'many'])).toThrow(CliError);
    expect(() => parseArgs(['--serve=host:99999'])).toThrow(/out of range/);
    expect(() => parseArgs(['--demo-bogus'])).toThrow(/Unknown option/);
  });
});
