// A one-shot "migration": writes the seed rows the api serves into data/db.json, then exits 0.
import { mkdirSync, writeFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';

const file = fileURLToPath(new URL('./data/db.json', import.meta.url));

const items = [
  { id: 1, name: 'keyboard', stock: 12 },
  { id: 2, name: 'mouse', stock: 40 },
  { id: 3, name: 'monitor', stock: 3 },
];

console.log(`migrating ${file}`);
await new Promise((resolve) => setTimeout(resolve, 300)); // pretend this takes a moment
mkdirSync(new URL('./data/', import.meta.url), { recursive: true });
writeFileSync(file, JSON.stringify({ items, migratedAt: new Date().toISOString() }, null, 2));
console.log(`migration done: ${items.length} items seeded`);
