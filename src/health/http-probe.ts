// The `http:` probe: one GET, healthy on 2xx/3xx, no redirects followed, no socket kept.
import http from 'node:http';
import https from 'node:https';
import type { ProbeOptions, ProbeResult } from './probe.js';
import { describeError, guardProbe } from './probe-guard.js';

/**
 * GETs url once: 2xx/3xx is ok; another status (`HTTP 503`), a connect error or the deadline
 * is a failure. Redirects are not followed; HTTPS certificates are not verified (like Kubernetes
 * probes: local dev servers use self-signed ones). Never rejects.
 */
export function httpProbe(url: string, options: ProbeOptions): Promise<ProbeResult> {
  return guardProbe(options, (finish) => {
    let parsed: URL;
    try {
      parsed = new URL(url);
    } catch {
      finish({ ok: false, reason: `invalid URL: ${url}` });
      return () => undefined;
    }
    if (parsed.protocol !== 'http:' && parsed.protocol !== 'https:') {
      finish({ ok: false, reason: `unsupported URL scheme: ${parsed.protocol}` });
      return () => undefined;
    }

    const request = parsed.protocol === 'https:' ? https.request : http.request;
    const req = request(
      parsed,
      {
        method: 'GET',
        agent: false,
        rejectUnauthorized: false,
        headers: { 'user-agent': 'msdev-healthcheck', connection: 'close', accept: '*/*' },
      },
      (res) => {
        const status = res.statusCode ?? 0;
        // Only the status matters: drop the body and the connection at once.
        res.on('error', () => undefined);
        res.destroy();
        finish(status >= 200 && status < 400 ? { ok: true } : { ok: false, reason: `HTTP ${status}` });
      },
    );
    req.on('error', (err) => finish({ ok: false, reason: describeError(err) }));
    req.end();
    return () => {
      req.destroy();
    };
  });
}
