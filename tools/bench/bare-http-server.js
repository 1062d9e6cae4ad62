/**
 * Baseline for the HTTP benchmark: the same routes and bodies as rag-api on a
 * bare node:http server, no framework, no validation, no logging.
 *
 * Plain JavaScript on purpose: a .ts file would make Node load its type
 * stripper (≈ 16 MiB and tens of ms), and the baseline must not pay for that.
 */
import { createServer } from 'node:http';

const json = (body) => JSON.stringify(body);
const ROOT = json({ message: 'Welcome to LLMOps RAG Pipeline', version: '0.1.0', docs: '/docs' });
const LIVE = json({ status: 'alive' });
const READY = json({ status: 'ready', checks: { api: 'ok' } });
const NOT_FOUND = json({ statusCode: 404, error: 'Not Found' });

const server = createServer((req, res) => {
  let body;
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

server.listen(Number(process.env.PORT ?? 0), process.env.HOST ?? '127.0.0.1');
// SIGINT too: the bench ends a first run that way so Node writes its compile cache on exit, as for rag-api.
for (const signal of ['SIGTERM', 'SIGINT']) process.on(signal, () => server.close(() => process.exit(0)));
