// The control-socket clients of bench/control-client.mjs: none, one that never reads, one that reads
// `GET /events` to the end and tallies it (numbered log lines received, the "N log lines skipped" notes).
import { existsSync, writeFileSync } from 'node:fs';
import { request } from 'node:http';
import { createConnection } from 'node:net';
import { join } from 'node:path';
import { SpewCounter } from './count.mjs';
import { sleep } from './proc.mjs';

/** A request line written raw by the never-reading client. */
const EVENTS_REQUEST = 'GET /events HTTP/1.1\r\nHost: msdev\r\n\r\n';
/** The note a client gets once it catches up (src/frontends/control/client-stream.ts). */
const SKIP_NOTE = /^… (\d+) log lines skipped: this client fell behind/;
const MESSAGE = Buffer.from('"type":"message"');
const EXIT = Buffer.from('"type":"exit"');
const NL = 10;
/** How long the reader may take, after msdev exited, to reach the end of its stream. */
const END_WAIT_MS = 5_000;

/** Tallies what a reading client got: numbered lines (SpewCounter), skip notes, other messages, the exit line. */
class StreamTally {
  constructor(scenario) {
    this.spew = new SpewCounter({ ids: scenario.ids, perId: scenario.perId });
    this.rest = null;
    this.skipped = 0;
    this.notes = 0;
    this.messages = [];
    this.exitLine = false;
    this.bytes = 0;
  }

  push(chunk) {
    this.bytes += chunk.length;
    this.spew.push(chunk);
    const buf = this.rest ? Buffer.concat([this.rest, chunk]) : chunk;
    const end = buf.lastIndexOf(NL) + 1;
    for (let at = buf.indexOf(MESSAGE); at !== -1 && at < end; at = buf.indexOf(MESSAGE, at + 1)) this.message(buf, at);
    if (buf.indexOf(EXIT) !== -1 && buf.indexOf(EXIT) < end) this.exitLine = true;
    this.rest = end < buf.length ? Buffer.from(buf.subarray(end)) : null;
  }

  /** Parses the message line around `at`. */
  message(buf, at) {
    const from = buf.lastIndexOf(NL, at) + 1;
    const to = buf.indexOf(NL, at);
    let text;
    try {
      text = JSON.parse(buf.toString('utf8', from, to)).text;
    } catch {
      return;
    }
    const m = SKIP_NOTE.exec(text);
    if (m) {
      this.skipped += Number(m[1]);
      this.notes++;
    } else if (this.messages.length < 5) this.messages.push(text);
  }

  result() {
    const s = this.spew.result();
    return {
      bytes: this.bytes,
      received: s.intact,
      distinct: s.distinct,
      broken: s.mangled + s.duplicates + s.reordered,
      skipped: this.skipped,
      notes: this.notes,
      messages: this.messages,
      exitLine: this.exitLine,
    };
  }
}

/**
 * The client of one run (an `onSpawn` hook of lib/pipe-run.mjs), started as msdev is spawned. It waits
 * for `.msdev/msdev.sock` (polled every 2 ms), then (mode `stuck`) connects, writes `GET /events` and
 * never reads (the socket paused: Node takes at most its 16 KiB read buffer, the kernel's socket buffer
 * the rest), or (mode `reader`) reads `GET /events?logs=0` to the end as fast as it can, tallying and
 * discarding. It then creates `gate` (the services' cue to start writing, fixtures/gated-spew.mjs): for
 * the reader once its response began (it is subscribed, so it is owed every line), for the never-reader
 * once its request is written, with no client once the socket appeared.
 */
export function socketClient(mode, gate, scenario) {
  return ({ cwd, t0, exited }) => {
    const path = join(cwd, '.msdev', 'msdev.sock');
    const info = { socketMs: NaN, connectedMs: NaN, gateMs: NaN, error: null, ended: false, tally: null };
    let over = false;
    void exited.then(() => (over = true));
    const closers = [];
    let finished = Promise.resolve();
    const openGate = () => {
      if (!Number.isFinite(info.gateMs)) {
        writeFileSync(gate, '');
        info.gateMs = performance.now() - t0;
      }
    };
    const connectOnce = () =>
      new Promise((resolve) => {
        if (mode === 'stuck') {
          const socket = createConnection(path);
          closers.push(() => socket.destroy());
          socket.pause();
          socket.once('connect', () => {
            socket.write(EVENTS_REQUEST);
            resolve(null);
          });
          socket.on('error', (err) => resolve(err));
          return;
        }
        const tally = new StreamTally(scenario);
        const req = request({ socketPath: path, path: '/events?logs=0', agent: false }, (res) => {
          info.tally = tally;
          finished = new Promise((done) => {
            res.on('data', (chunk) => tally.push(chunk));
            res.on('end', () => {
              info.ended = true;
              done();
            });
            res.on('close', done);
            res.on('error', done);
          });
          resolve(null);
        });
        closers.push(() => req.destroy());
        req.on('error', (err) => resolve(err));
        req.end();
      });
    const run = (async () => {
      try {
        while (!over && !existsSync(path)) await sleep(2);
        if (over) return;
        info.socketMs = performance.now() - t0;
        if (mode === 'none') return;
        // The file exists once bound; listen follows at once, so a refusal is retried a few times.
        for (let attempt = 0; attempt < 50 && !over; attempt++) {
          const err = await connectOnce();
          if (err === null) {
            info.connectedMs = performance.now() - t0;
            return;
          }
          info.error = err.code ?? err.message;
          await sleep(2);
        }
      } finally {
        // Whatever happened, the services must not wait forever.
        openGate();
      }
    })();
    return {
      async stop() {
        await run;
        // The reader gets what msdev sent before it exited, up to the exit line; the never-reader is let go.
        if (mode === 'reader') await Promise.race([finished, sleep(END_WAIT_MS)]);
        for (const close of closers) close();
        return { ...info, tally: info.tally?.result() ?? null };
      },
    };
  };
}
