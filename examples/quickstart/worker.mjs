// The worker: no port, polls the api's /items every POLL_INTERVAL_MS and logs what it sees.
import os from 'node:os';

const itemsUrl = process.env.ITEMS_URL ?? `${process.env.API_URL}/items`;
const intervalMs = Number(process.env.POLL_INTERVAL_MS ?? 2000);

// One pino-style JSON record: msdev shows it pretty-printed (`msdev up --raw` shows it as is).
console.log(JSON.stringify({
  level: 30, time: Date.now(), pid: process.pid, hostname: os.hostname(),
  msg: 'worker started', itemsUrl, intervalMs,
}));

async function poll() {
  try {
    const res = await fetch(itemsUrl, { signal: AbortSignal.timeout(1000) });
    if (!res.ok) throw new Error(`HTTP ${res.status}`);
    const items = await res.json();
    const low = items.filter((item) => item.stock < 5).map((item) => item.name);
    console.log(`polled ${items.length} items; low stock: ${low.join(', ') || 'none'}`);
  } catch (err) {
    console.error(`poll failed: ${err.cause?.code ?? err.message}`); // e.g. while the api restarts
  }
}

const timer = setInterval(poll, intervalMs);
poll();

for (const signal of ['SIGTERM', 'SIGINT']) {
  process.on(signal, () => {
    console.log(`worker: ${signal}, stopping`);
    clearInterval(timer);
    process.exit(0);
  });
}
