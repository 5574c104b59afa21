// The live table's watch lifecycle against a scripted API server: the Table Accept header on list
// and watch, pages followed by continue, a watch the server ends resumed from the last
// resourceVersion seen (no relist), and 410 Gone answered by a fresh list (a reset).
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterEach, describe, expect, it } from 'vitest';
import { KubeConfig } from '@kubernetes/client-node';
import { startLiveTable } from '../../electron/core/browser/index.js';
import type { TableEvent } from '../../shared/contract/browser.js';

const columns = [{ name: 'Name', type: 'string', priority: 0 }];
const tableRow = (name: string, rv: string) => ({ cells: [name], object: { metadata: { name, namespace: 'ns', resourceVersion: rv } } });
const table = (names: string[], rv: string, cont?: string) => ({ kind: 'Table', columnDefinitions: columns, metadata: { resourceVersion: rv, continue: cont }, rows: names.map((n) => tableRow(n, rv)) });
const line = (type: string, object: unknown) => JSON.stringify({ type, object }) + '\n';

let server: http.Server | undefined;
let stop: (() => void) | undefined;
afterEach(() => {
  stop?.();
  server?.close();
});

async function serve(handler: (url: URL, req: http.IncomingMessage, res: http.ServerResponse) => void): Promise<KubeConfig> {
  server = http.createServer((req, res) => handler(new URL(req.url ?? '/', 'http://x'), req, res));
  await new Promise<void>((r) => server?.listen(0, '127.0.0.1', r));
  const kc = new KubeConfig();
  const port = (server.address() as AddressInfo).port;
  kc.loadFromOptions({ clusters: [{ name: 'c', server: `http://127.0.0.1:${port}`, skipTLSVerify: true }], users: [{ name: 'u' }], contexts: [{ name: 'x', cluster: 'c', user: 'u' }], currentContext: 'x' });
  return kc;
}

const until = async (what: string, probe: () => boolean) => {
  for (const end = Date.now() + 5_000; !probe(); ) {
    if (Date.now() > end) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 10));
  }
};

describe('startLiveTable', () => {
  it('pages with continue, resumes an ended watch from the last resourceVersion, and relists on 410 Gone', async () => {
    const requests: Array<{ path: string; accept?: string }> = [];
    let watches = 0;
    const kc = await serve((url, req, res) => {
      requests.push({ path: url.pathname + url.search, accept: req.headers.accept });
      res.setHeader('Content-Type', 'application/json');
      if (url.searchParams.get('watch') !== '1') {
        const relisted = watches >= 2;
        if (relisted) return res.end(JSON.stringify(table(['a', 'c'], '50')));
        if (!url.searchParams.get('continue')) return res.end(JSON.stringify(table(['a'], '10', 'next')));
        return res.end(JSON.stringify({ ...table(['b'], '10'), columnDefinitions: undefined }));
      }
      watches++;
      if (watches === 1) {
        // One change, then the server ends the watch (as apiservers do after a timeout).
        res.end(line('MODIFIED', { kind: 'Table', rows: [tableRow('a', '11')] }));
      } else if (watches === 2) {
        res.end(line('ERROR', { kind: 'Status', code: 410, reason: 'Expired' }));
      } else {
        res.write(line('BOOKMARK', { kind: 'Table', metadata: { resourceVersion: '51' } }));
      }
    });
    const events: TableEvent[] = [];
    stop = startLiveTable(kc, { group: 'example.com', version: 'v1', plural: 'widgets', namespace: 'ns' }, (e) => events.push(e), { pageSize: 1, coalesceMs: 5, retryMs: 10 });
    await until('the relist and its watch', () => events.filter((e) => e.type === 'reset').length === 2 && watches >= 3);

    expect(events.map((e) => e.type)).toEqual(['reset', 'page', 'changes', 'reset']);
    expect(events[0]).toMatchObject({ type: 'reset', complete: false, rows: [{ key: 'ns/a' }], columns: [{ name: 'Name' }] });
    expect(events[1]).toMatchObject({ type: 'page', complete: true, rows: [{ key: 'ns/b' }] });
    expect(events[3]).toMatchObject({ type: 'reset', complete: true, rows: [{ key: 'ns/a' }, { key: 'ns/c' }] });
    const watchRvs = requests.filter((r) => r.path.includes('watch=1')).map((r) => new URL(r.path, 'http://x').searchParams.get('resourceVersion'));
    expect(watchRvs.slice(0, 3)).toEqual(['10', '11', '50']);
    expect(requests[0].path).toBe('/apis/example.com/v1/namespaces/ns/widgets?limit=1&includeObject=Metadata');
    expect(requests[1].path).toContain('continue=next');
    for (const r of requests) expect(r.accept).toMatch(/^application\/json;as=Table;g=meta\.k8s\.io;v=v1/);
  });

  it('reports a failed list as a problem and tries again', async () => {
    let calls = 0;
    const kc = await serve((_url, _req, res) => {
      calls++;
      res.statusCode = 403;
      res.end(JSON.stringify({ kind: 'Status', reason: 'Forbidden', message: 'widgets.example.com is forbidden: User "viewer" cannot list resource "widgets"' }));
    });
    const events: TableEvent[] = [];
    stop = startLiveTable(kc, { group: 'example.com', version: 'v1', plural: 'widgets' }, (e) => events.push(e), { pageSize: 10, retryMs: 10 });
    await until('a retry', () => calls >= 2);
    expect(events[0]).toEqual({ type: 'problem', message: 'widgets: widgets.example.com is forbidden: User "viewer" cannot list resource "widgets"' });
  });
});
