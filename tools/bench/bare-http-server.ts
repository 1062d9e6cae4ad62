/**
 * Baseline for the throughput benchmark: the same four routes and bodies as
 * rag-api on a bare node:http server, no framework, no validation, no logging.
 * Run with plain node (type stripping): `node tools/bench/bare-http-server.ts`.
 */
import { createServer } from 'node:http';

const json = (body: unknown) => JSON.stringify(body);
const ROOT = json({ message: 'Welcome to LLMOps RAG Pipeline', version: '0.1.0', docs: '/docs' });
const LIVE = json({ status: 'alive' });
const READY = json({ status: 'ready', checks: { api: 'ok' } });
const NOT_FOUND = json({ statusCode: 404, error: 'Not Found' });

const server = createServer((req, res) => {
  let body: string;
  let status = 200;
  switch (req.url) {
    case '/':
      body = ROOT;
      break;
    case '/health':
      body = json({ status: 'healthy', timestamp: new Date().toISOString() });
      break;
    case '/health/live':
      body = LIVE;
      break;
    case '/health/ready':
      body = READY;
      break;
    default:
      status = 404;
      body = NOT_FOUND;
  }
  res.writeHead(status, { 'content-type': 'application/json; charset=utf-8', 'content-length': Buffer.byteLength(body) });
  res.end(body);
});

server.listen(Number(process.env.PORT ?? 0), '127.0.0.1', () => {
  const address = server.address();
  process.stdout.write(`listening ${typeof address === 'object' && address ? address.port : ''}\n`);
});
process.on('SIGTERM', () => server.close(() => process.exit(0)));
