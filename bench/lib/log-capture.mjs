// Keeps every generation of msdev's rotated log files: hard-links each SERVICE.log inode as it appears, so
// the bench can count every line msdev wrote even though rotation (10 MiB, 3 kept) deletes the oldest.
import { linkSync, mkdirSync, statSync, unlinkSync } from 'node:fs';
import { join } from 'node:path';

/**
 * Polls `logsDir` every intervalMs. For each service, SERVICE.log.3, .2, .1 and SERVICE.log (oldest first)
 * are stat'ed; an inode not seen before is hard-linked into `keepDir` under SERVICE.GENERATION. A file
 * rotates through those four names (40 MiB of that service's output) before msdev deletes it, so a poll
 * every 20 ms sees each one. Renames and unlinks by msdev are unaffected by the extra link. stop() polls
 * once more and returns, per service, the kept files in the order they were created.
 */
export class LogCapture {
  constructor(logsDir, services, keepDir, intervalMs = 20) {
    this.logsDir = logsDir;
    this.services = services;
    this.keepDir = keepDir;
    this.seen = new Set();
    this.files = Object.fromEntries(services.map((s) => [s, []]));
    mkdirSync(keepDir, { recursive: true });
    this.timer = setInterval(() => this.poll(), intervalMs);
  }

  poll() {
    for (const service of this.services) {
      const base = join(this.logsDir, `${service}.log`);
      for (const path of [`${base}.3`, `${base}.2`, `${base}.1`, base]) this.keep(service, path);
    }
  }

  keep(service, path) {
    let ino;
    try {
      ino = statSync(path).ino;
    } catch {
      return; // not there (yet, or any more)
    }
    if (this.seen.has(ino)) return;
    const list = this.files[service];
    const kept = join(this.keepDir, `${service}.${list.length}`);
    try {
      linkSync(path, kept);
    } catch {
      return; // renamed or deleted in between: seen on the next poll under its new name
    }
    // The name may have moved to another file between stat and link: key by what was linked.
    const linked = statSync(kept).ino;
    if (this.seen.has(linked)) {
      unlinkSync(kept);
      return;
    }
    this.seen.add(linked);
    list.push(kept);
  }

  /** Stops polling after a last poll; returns { SERVICE: [kept file paths, oldest first] }. */
  stop() {
    clearInterval(this.timer);
    this.poll();
    return this.files;
  }
}
