// One streaming client of the control socket (`/events`, `/logs?follow=1`), written to so that it can
// never slow msdev or grow its memory: log lines are skipped (and counted) while it is behind, and a
// client that stops reading altogether is dropped.
import type { ServerResponse } from 'node:http';
import type { StackEvent } from '../../core/control.js';
import type { LogEvent } from '../../core/events.js';
import { countNewlines } from '../../core/newlines.js';
import { jsonMessageLine } from '../json/json-frontend.js';

/** How far behind a client may fall. */
export interface StreamLimits {
  /** Past this many unsent bytes, log lines for it are skipped (other events still go). */
  readonly skipBytes: number;
  /** Past this many unsent bytes (state and message events alone, or held lines), it is dropped. */
  readonly dropBytes: number;
  /** A client that stays behind this long without reading anything is dropped. */
  readonly stallMs: number;
}

/** Why a client was dropped, in words for msdev's note. */
export type DropWhy = string;

/** How many lines a log event holds (as many as its NDJSON rendering has objects). */
export function logLineCount(event: LogEvent): number {
  return event.text.length === 0 ? event.lines.length : countNewlines(event.text) + 1;
}

/** A streaming response and what it is owed. */
export class ClientStream {
  /** Dropped, or ended by close: nothing more is written. */
  dropped = false;
  /** Live lines held while kept lines are being sent (null: none are). */
  private held: string[] | null = null;
  private heldBytes = 0;
  /** Log lines skipped since it fell behind, told to it once it catches up. */
  private skipped = 0;
  private stall: NodeJS.Timeout | null = null;

  constructor(
    readonly res: ServerResponse,
    /** What it streams, for the note (`the event stream`, `logs -f`). */
    readonly what: string,
    private readonly limits: StreamLimits,
    private readonly onDrop: (stream: ClientStream, why: DropWhy) => void,
  ) {}

  /**
   * Sends one event, rendered by `render` only if it goes: while the client is behind, a log event's
   * lines are counted without being rendered (a client that never reads must not cost msdev an NDJSON
   * copy of every line); other events always go.
   */
  sendEvent(event: StackEvent, render: () => string | null): void {
    if (this.dropped) return;
    if (event.type === 'log' && this.held === null && this.res.writableLength > this.limits.skipBytes) {
      this.watchStall();
      this.skipped += logLineCount(event);
      return;
    }
    const text = render();
    if (text !== null) this.send(text);
  }

  /** Writes text (or holds it while kept lines are being sent); drops a client that is too far behind. */
  private send(text: string): void {
    if (this.dropped) return;
    if (this.held !== null) {
      this.held.push(text);
      this.heldBytes += text.length;
      if (this.heldBytes > this.limits.dropBytes) this.drop(`it fell ${sizeText(this.limits.dropBytes)} behind while its kept lines were sent`);
      return;
    }
    const res = this.res;
    if (res.writableLength > this.limits.skipBytes) this.watchStall();
    else if (this.skipped > 0) res.write(this.skipNote());
    res.write(text);
    if (res.writableLength > this.limits.dropBytes) this.drop(`it fell ${sizeText(this.limits.dropBytes)} behind (it stopped reading)`);
  }

  /** Holds live lines (sent later by release) while kept lines go out at the client's own pace. */
  hold(): void {
    this.held ??= [];
  }

  /** Sends what was held and goes live. */
  release(): void {
    const held = this.held ?? [];
    this.held = null;
    this.heldBytes = 0;
    if (held.length > 0) this.send(held.join(''));
  }

  /** Ends it with a last line (after what it still holds, and the count of lines it missed if it is still behind). */
  end(last: string): void {
    if (this.dropped) return;
    this.dropped = true;
    this.clearStall();
    const held = this.held?.join('') ?? '';
    this.held = null;
    this.res.end((this.skipped > 0 ? this.skipNote() : '') + held + last);
  }

  /** The note telling the client how many log lines it missed (the count starts again). */
  private skipNote(): string {
    const note = jsonMessageLine('warn', `… ${this.skipped} log lines skipped: this client fell behind (the log files have every line)`);
    this.skipped = 0;
    return note;
  }

  /** Stops writing and lets it go (the client is gone). */
  forget(): void {
    this.dropped = true;
    this.held = null;
    this.clearStall();
  }

  private drop(why: DropWhy): void {
    if (this.dropped) return;
    this.forget();
    this.res.destroy();
    this.onDrop(this, why);
  }

  /** Drops it if it stays behind for stallMs without taking anything. */
  private watchStall(): void {
    if (this.stall !== null) return;
    const res = this.res;
    const onDrain = (): void => this.clearStall();
    res.once('drain', onDrain);
    this.stall = setTimeout(() => {
      this.stall = null;
      res.off('drain', onDrain);
      if (res.writableLength > this.limits.skipBytes) this.drop(`it read nothing for ${this.limits.stallMs / 1000} s while behind`);
    }, this.limits.stallMs);
    this.stall.unref();
  }

  private clearStall(): void {
    if (this.stall !== null) clearTimeout(this.stall);
    this.stall = null;
  }
}

/** `4 MiB`, `256 KiB`. */
function sizeText(bytes: number): string {
  return bytes >= 1024 * 1024 ? `${Math.round(bytes / 1024 / 1024)} MiB` : `${Math.round(bytes / 1024)} KiB`;
}
