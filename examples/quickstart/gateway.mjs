// The gateway: serves / and proxies /api/* to the api, which it finds through API_URL, the
// registry variable msdev sets for every service that has a port.
import http from 'node:http';

const port = Number(process.env.PORT ?? 3000);
const apiUrl = process.env.API_URL; // e.g. http://127.0.0.1:41234
if (!apiUrl) {
  console.error('API_URL is not set: run me with msdev (or set API_URL by hand)');
  process.exit(1);
}

function proxy(req, res) {
  const target = new URL(req.url.slice('/api'.length) || '/', apiUrl);
  const upstream = http.request(target, { method: req.method, headers: req.headers }, (up) => {
    res.writeHead(up.statusCode, up.headers);
    up.pipe(res);
  });
  upstream.on('error', (err) => {
    console.error(`api unreachable: ${err.message}`);
    res.writeHead(502, { 'content-type': 'text/plain' });
    res.end(`api unreachable at ${apiUrl}: ${err.message}\n`);
  });
  req.pipe(upstream);
}

const server = http.createServer((req, res) => {
  if (req.url === '/health') {
    res.writeHead(200, { 'content-type': 'text/plain' });
    return res.end('ok\n');
  }
  if (req.url === '/api' || req.url.startsWith('/api/')) return proxy(req, res);
  if (req.url === '/') {
    res.writeHead(200, { 'content-type': 'text/plain' });
    return res.end(`msdev quickstart gateway\napi: ${apiUrl}\ntry: curl http://127.0.0.1:${port}/api/items\n`);
  }
  res.writeHead(404, { 'content-type': 'text/plain' });
  res.end('not found\n');
});

server.listen(port, '127.0.0.1', () => console.log(`gateway listening on http://127.0.0.1:${port}`));

for (const signal of ['SIGTERM', 'SIGINT']) {
  process.on(signal, () => {
    console.log(`gateway: ${signal}, closing`);
    server.close(() => process.exit(0));
    server.closeIdleConnections();
    setTimeout(() => process.exit(0), 2000).unref();
  });
}
