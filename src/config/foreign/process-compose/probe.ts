// readiness_probe / liveness_probe (exec or http_get, Kubernetes-style timing) as msdev's healthcheck.
import { isMap, type YAMLMap } from 'yaml';
import { mapAt, scalarAt, set, type Range } from '../node-build.js';
import { fail, rangeFor, readCount, readTemplated, readText, warn, type PcContext } from './context.js';

/** process-compose's defaults: period 10 s, timeout 1 s, failure threshold 3. */
const DEFAULT_PERIOD_S = 10;
const DEFAULT_TIMEOUT_S = 1;
const DEFAULT_FAILURES = 3;

/** A probe as msdev's healthcheck mapping, or null (with a problem said) when it cannot be one. */
export function probeHealthcheck(ctx: PcContext, node: unknown, path: string, vars: ReadonlyMap<string, string | null>, at: Range, cwd: string | null): YAMLMap | null {
  const probe = ctx.view.resolve(node);
  if (!isMap(probe)) {
    fail(ctx, node, path, 'expected a mapping with exec or http_get');
    return null;
  }
  const hc = mapAt(rangeFor(ctx, probe, at));
  let kind: string | null = null;
  let period = DEFAULT_PERIOD_S;
  let timeout = DEFAULT_TIMEOUT_S;
  let failures = DEFAULT_FAILURES;
  let delay = 0;
  for (const e of ctx.view.entries(probe)) {
    const p = `${path}.${e.key}`;
    const r = rangeFor(ctx, e.value, at);
    switch (e.key) {
      case 'exec': {
        const ex = ctx.view.resolve(e.value);
        if (!isMap(ex)) {
          fail(ctx, e.value, p, 'expected a mapping with command');
          break;
        }
        for (const x of ctx.view.entries(ex)) {
          if (x.key === 'command') {
            const cmd = readTemplated(ctx, x.value, `${p}.command`, vars);
            if (cmd !== null) set(hc, 'exec', scalarAt(cmd, rangeFor(ctx, x.value, r)));
            kind = 'exec';
          } else if (x.key === 'working_dir') {
            const wd = readText(ctx, x.value, `${p}.working_dir`);
            if (wd !== null && wd !== cwd) warn(ctx, x.keyNode, `${p}.working_dir`, "msdev runs exec probes in the process's working_dir; this one is ignored");
          } else warn(ctx, x.keyNode, `${p}.${x.key}`, 'unknown key of an exec probe; ignored');
        }
        if (kind !== 'exec') fail(ctx, e.value, p, 'an exec probe needs a command');
        break;
      }
      case 'http_get': {
        const url = httpUrl(ctx, e.value, p, vars);
        if (url !== null) set(hc, 'http', scalarAt(url, r), e.keyNode);
        kind = 'http';
        break;
      }
      case 'initial_delay_seconds':
        delay = readCount(ctx, e.value, p, 0) ?? 0;
        break;
      case 'period_seconds':
        period = readCount(ctx, e.value, p, 1) ?? DEFAULT_PERIOD_S;
        break;
      case 'timeout_seconds':
        timeout = readCount(ctx, e.value, p, 1) ?? DEFAULT_TIMEOUT_S;
        break;
      case 'failure_threshold':
        failures = readCount(ctx, e.value, p, 1) ?? DEFAULT_FAILURES;
        break;
      case 'success_threshold':
        if ((readCount(ctx, e.value, p, 1) ?? 1) !== 1) warn(ctx, e.keyNode, p, 'msdev counts one success as healthy (process-compose does not honour this either); ignored');
        break;
      case 'grpc':
        warn(ctx, e.keyNode, p, 'msdev has no gRPC probe; use exec with grpc_health_probe, or http_get; ignored');
        break;
      default:
        warn(ctx, e.keyNode, p, 'unknown key of a probe; ignored');
    }
  }
  if (!hc.items.some((i) => ['exec', 'http'].includes(String((i.key as { value: unknown }).value)))) {
    if (kind === null) warn(ctx, node, path, 'a probe without exec or http_get checks nothing; ignored');
    return null;
  }
  set(hc, 'interval', scalarAt(`${period}s`, at));
  set(hc, 'timeout', scalarAt(`${timeout}s`, at));
  set(hc, 'retries', scalarAt(failures, at));
  if (delay > 0) set(hc, 'start_period', scalarAt(`${delay}s`, at));
  return hc;
}

/** The URL an http_get probe asks: scheme://host[:port]path (defaults http, 127.0.0.1, /). */
function httpUrl(ctx: PcContext, node: unknown, path: string, vars: ReadonlyMap<string, string | null>): string | null {
  const h = ctx.view.resolve(node);
  if (!isMap(h)) {
    fail(ctx, node, path, 'expected a mapping with host, port, path, scheme');
    return null;
  }
  const parts: Record<'scheme' | 'host' | 'path' | 'port', string> = { scheme: 'http', host: '127.0.0.1', path: '/', port: '' };
  for (const e of ctx.view.entries(h)) {
    const p = `${path}.${e.key}`;
    if (e.key === 'scheme' || e.key === 'host' || e.key === 'path' || e.key === 'port') {
      const v = readTemplated(ctx, e.value, p, vars);
      if (v === null) return null;
      if (v.trim() !== '') parts[e.key] = v.trim();
    } else if (e.key === 'num_port') {
      const v = readText(ctx, e.value, p);
      if (v !== null && parts.port === '') parts.port = v;
    } else if (e.key === 'headers' || e.key === 'method') {
      warn(ctx, e.keyNode, p, 'msdev probes with a plain GET; ignored');
    } else if (e.key === 'status_code') {
      warn(ctx, e.keyNode, p, 'msdev takes any 2xx or 3xx answer as healthy; ignored');
    } else warn(ctx, e.keyNode, p, 'unknown key of http_get; ignored');
  }
  const port = Number(parts.port);
  const withPort = Number.isInteger(port) && port >= 1 && port <= 65535 ? `:${port}` : '';
  if (parts.port !== '' && withPort === '' && !parts.port.includes('${')) warn(ctx, node, `${path}.port`, `"${parts.port}" is not a port; process-compose then asks without one, and so does msdev`);
  const portPart = withPort || (parts.port.includes('${') ? `:${parts.port}` : '');
  const p = parts.path.startsWith('/') ? parts.path : `/${parts.path}`;
  return `${parts.scheme.toLowerCase()}://${parts.host}${portPart}${p}`;
}
