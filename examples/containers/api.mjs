// The api: reaches postgres (a TCP connect to DB_URL's host and port) and redis (PING over its plain-text
// protocol at REDIS_URL), then serves GET /health and GET /. No drivers, node: modules only. msdev sets
// PORT, DB_URL and REDIS_URL (see services.yaml).
import http from 'node:http';
import net from 'node:net';

const port = Number(process.env.PORT ?? 4000);
const db = new URL(process.env.DB_URL ?? 'postgres://postgres:dev@127.0.0.1:5432/postgres');
const redis = new URL(process.env.REDIS_URL ?? 'redis://127.0.0.1:6379');

/** Opens a TCP connection to url's host and port; with `say`, writes it and resolves with the first reply. */
function reach(url, say) {
  return new Promise((resolve, reject) => {
    const socket = net.connect({ host: url.hostname, port: Number(url.port) });
    socket.setTimeout(2000, () => socket.destroy(new Error('timed out')));
    socket.once('error', reject);
    socket.once('connect', () => {
      if (!say) {
        socket.end();
        return resolve('connected');
      }
      socket.write(say);
      socket.once('data', (reply) => {
        socket.end();
        resolve(reply.toString().trim());
      });
    });
  });
}

/** Where the api stands: both reached or not, with the reason. */
const status = { db: 'not yet', redis: 'not yet' };

/** Checks both once; true when both answered as expected. */
async function check() {
  const [d, r] = await Promise.allSettled([reach(db), reach(redis, 'PING\r\n')]);
  status.db = d.status === 'fulfilled' ? `reachable at ${db.host}` : `unreachable: ${d.reason.message}`;
  status.redis = r.status === 'fulfilled' && r.value === '+PONG' ? `PONG from ${redis.host}` : `unreachable: ${r.reason?.message ?? r.value}`;
  return d.status === 'fulfilled' && r.status === 'fulfilled' && r.value === '+PONG';
}

function send(res, code, body) {
  res.writeHead(code, { 'content-type': 'application/json' });
  res.end(JSON.stringify(body));
}

const server = http.createServer(async (req, res) => {
  const path = new URL(req.url, 'http://x').pathname;
  if (path === '/health') {
    const ok = await check();
    return send(res, ok ? 200 : 503, status);
  }
  if (path === '/') return send(res, 200, { db: `${db.protocol}//${db.host}${db.pathname}`, redis: redis.href, status });
  send(res, 404, { error: `no route for ${req.method} ${path}` });
});

// Serve only once both answered: msdev started the api after both were healthy, so this is quick.
for (let attempt = 1; !(await check()); attempt++) {
  console.log(`waiting for db and redis (${attempt}): db ${status.db}; redis ${status.redis}`);
  await new Promise((resolve) => setTimeout(resolve, Math.min(2000, 100 * attempt)));
}
console.log(`db ${status.db}; redis ${status.redis}`);
server.listen(port, '127.0.0.1', () => console.log(`api listening on http://127.0.0.1:${port}`));

for (const signal of ['SIGTERM', 'SIGINT']) {
  process.on(signal, () => {
    server.close(() => process.exit(0));
    server.closeIdleConnections();
    setTimeout(() => process.exit(0), 2000).unref();
  });
}
