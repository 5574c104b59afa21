// The exporter's HTTP face on loopback: `/metrics` (every GPU, one page, like a federated view),
// `/nodes/<node>/metrics` (one node's DCGM exporter, what Prometheus scrapes per target) and
// `/inference/metrics` (the inference pods' request metrics).
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { CONTENT_TYPE } from './exposition.js';
import type { DcgmExporter } from './dcgm-exporter.js';
import type { ServiceModel } from './service-model.js';

export interface ExporterServer {
  url: string;
  server: Server;
  close(): Promise<void>;
}

export async function startExporterServer(dcgm: DcgmExporter, services: ServiceModel, now: () => number, host = '127.0.0.1', port = 0): Promise<ExporterServer> {
  const server = createServer((req, res) => {
    const path = (req.url ?? '/').split('?')[0];
    const send = (status: number, body: string | Buffer, type = CONTENT_TYPE, encoding?: string) => {
      res.writeHead(status, { 'Content-Type': type, 'Content-Length': Buffer.byteLength(body), ...(encoding ? { 'Content-Encoding': encoding } : {}) });
      res.end(req.method === 'HEAD' ? undefined : body);
    };
    if (req.method !== 'GET' && req.method !== 'HEAD') return send(405, 'only GET\n', 'text/plain');
    try {
      if (path === '/metrics') {
        if (/\bgzip\b/.test(String(req.headers['accept-encoding'] ?? ''))) {
          dcgm.fleetMetricsGzip(now()).then(
            (body) => send(200, body, CONTENT_TYPE, 'gzip'),
            (err: unknown) => send(500, `exporter failed to compress: ${err instanceof Error ? err.message : String(err)}\n`, 'text/plain'),
          );
          return;
        }
        return send(200, dcgm.fleetMetrics(now()));
      }
      if (path === '/inference/metrics') return send(200, services.render(now()));
      const m = /^\/nodes\/([^/]+)\/metrics$/.exec(path);
      if (m) {
        const node = decodeURIComponent(m[1]);
        const page = dcgm.nodeMetrics(node, now());
        if (page.status === 'ok') return send(200, page.text);
        if (page.status === 'down') return send(503, `dcgm-exporter on ${node} is not answering (node NotReady or exporter stopped)\n`, 'text/plain');
        return send(404, `no GPU node named ${node}\n`, 'text/plain');
      }
      if (path === '/' || path === '/-/healthy') return send(200, 'demo exporters: /metrics /nodes/<node>/metrics /inference/metrics\n', 'text/plain');
      return send(404, `unknown path ${path}\n`, 'text/plain');
    } catch (err) {
      return send(500, `exporter failed: ${err instanceof Error ? err.message : String(err)}\n`, 'text/plain');
    }
  });
  server.keepAliveTimeout = 60_000;
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(port, host, () => resolve());
  });
  const addr = server.address() as AddressInfo;
  const hostForUrl = addr.family === 'IPv6' ? `[${addr.address}]` : addr.address;
  return {
    url: `http://${hostForUrl}:${addr.port}`,
    server,
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}
