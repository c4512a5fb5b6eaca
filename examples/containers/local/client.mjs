// The client: fetches WEB_URL (the web container's published port, from ${services.web.ports.8080}),
// prints what it got, and exits 0 (non-zero when the fetch fails).
const url = process.env.WEB_URL ?? 'http://127.0.0.1:8080/';
try {
  const res = await fetch(url);
  const body = (await res.text()).trim();
  console.log(`GET ${url} -> ${res.status}: ${body}`);
  process.exitCode = res.ok ? 0 : 1;
} catch (err) {
  console.error(`GET ${url} failed: ${err.cause?.message ?? err.message}`);
  process.exitCode = 1;
}
