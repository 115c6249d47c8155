import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';

/** What a Prometheus endpoint serves: the exposition text and its content type. */
export interface MetricsText {
  text(): Promise<string>;
  readonly contentType: string;
}

/**
 * `GET /metrics` on host:port (RocketMQ 5's PROM exporter: metricsPromExporterHost/Port). One route, so
 * node:http is all it needs. Resolves once listening; `port` 0 picks a free one (see `.port`).
 */
export async function startPromServer(
  source: MetricsText,
  host: string,
  port: number,
): Promise<{ server: Server; port: number; close(): Promise<void> }> {
  const server = createServer((req, res) => {
    const path = (req.url ?? '/').split('?')[0];
    if (req.method !== 'GET' || path !== '/metrics') {
      res.writeHead(404, { 'content-type': 'text/plain' }).end('only GET /metrics is served here\n');
      return;
    }
    source.text().then(
      (body) => res.writeHead(200, { 'content-type': source.contentType }).end(body),
      (e: Error) => res.writeHead(500, { 'content-type': 'text/plain' }).end(`${e.message}\n`),
    );
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(port, host || '0.0.0.0', () => {
      server.off('error', reject);
      resolve();
    });
  });
  return {
    server,
    port: (server.address() as AddressInfo).port,
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}
