// The api: GET /health, GET /items (the rows migrate.mjs wrote), POST /crash (exits 1, to see
// msdev restart it). Listens on PORT, which msdev sets.
import http from 'node:http';
import { readFileSync } from 'node:fs';

const port = Number(process.env.PORT ?? 4000);
const dbFile = new URL('./data/db.json', import.meta.url);

function send(res, status, body) {
  res.writeHead(status, { 'content-type': 'application/json' });
  res.end(JSON.stringify(body));
}

const server = http.createServer((req, res) => {
  const path = new URL(req.url, 'http://x').pathname;
  if (path === '/health') return send(res, 200, { status: 'ok' });
  if (path === '/items' && req.method === 'GET') {
    console.log(`GET /items from ${req.headers['user-agent'] ?? 'unknown'}`);
    return send(res, 200, JSON.parse(readFileSync(dbFile, 'utf8')).items);
  }
  if (path === '/crash' && req.method === 'POST') {
    console.error('crashing on purpose (POST /crash)');
    send(res, 200, { crashing: true });
    return setTimeout(() => process.exit(1), 50);
  }
  send(res, 404, { error: `no route for ${req.method} ${path}` });
});

server.listen(port, '127.0.0.1', () => console.log(`api listening on http://127.0.0.1:${port}`));

// msdev stops a service with SIGTERM (Ctrl-C by hand sends SIGINT): finish up and exit 0.
for (const signal of ['SIGTERM', 'SIGINT']) {
  process.on(signal, () => {
    console.log(`api: ${signal}, closing`);
    server.close(() => process.exit(0));
    server.closeIdleConnections();
    setTimeout(() => process.exit(0), 2000).unref();
  });
}
