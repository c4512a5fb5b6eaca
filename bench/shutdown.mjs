// Shutdown: with 50 services up and ready, SIGINT to the tool; time until the tool exits and until every
// service process is gone; count what is left. Run alone: `node bench/shutdown.mjs`.
import { isMain, progress, removeDir, runAlone, runs, tempDir } from './lib/env.mjs';
import { bootStack, killStack, N_SERVICES, stackTools, stopStack } from './lib/stack.mjs';
import { fmtInt, fmtMs, max, median, table } from './lib/stats.mjs';

/** Runs the shutdown benchmark; returns { title, text, targets, data }. */
export async function shutdown() {
  const work = tempDir('shutdown');
  const tools = stackTools();
  const n = runs(5);
  const results = new Map(tools.map((t) => [t.key, []]));
  try {
    for (let r = 0; r < n; r++) {
      for (const tool of tools) {
        progress(`shutdown: ${tool.label}, run ${r + 1}/${n}`);
        let stack = null;
        try {
          stack = await bootStack(tool, work, r);
          if (stack.outcome !== 'ready') {
            progress(`  never got ready (${stack.outcome}); stderr: ${stack.t.stderr().slice(0, 500)}`);
            results.get(tool.key).push({ failed: true });
            continue;
          }
          // Every pid is in PIDFILE by now: a fixture writes its pid before it prints `ready`.
          const res = await stopStack(stack, { timeoutMs: 30_000, graceMs: 2_000 });
          progress(`  exit after ${fmtMs(res.exitMs)}, all gone after ${fmtMs(res.goneMs)}, ${res.leftovers} left`);
          results.get(tool.key).push(res);
        } finally {
          await killStack(stack);
        }
      }
    }
  } finally {
    removeDir(work);
  }

  const sum = Object.fromEntries(
    tools.map((t) => {
      const list = results.get(t.key).filter((x) => !x.failed);
      return [
        t.key,
        {
          exitMs: median(list.map((x) => x.exitMs)),
          goneMs: median(list.map((x) => x.goneMs)),
          aliveAtExitMax: max(list.map((x) => x.aliveAtExit)),
          leftoversMax: max(list.map((x) => x.leftovers)),
          services: median(list.map((x) => x.services)),
          codes: [...new Set(list.map((x) => String(x.code)))].join(', '),
          failures: results.get(t.key).length - list.length,
          neverExited: list.filter((x) => !Number.isFinite(x.exitMs)).length,
          runs: results.get(t.key).length,
        },
      ];
    }),
  );
  let text =
    `The ${N_SERVICES}-service stack of the start-up benchmark is started and awaited until ready (not timed); then ` +
    'SIGINT goes to the tool process only (`kill -INT PID`, not its group, as a supervisor or script would), and the ' +
    'service pids (each fixture wrote its own to PIDFILE) are polled in /proc every 5 ms. "tool exits" = SIGINT until ' +
    'the tool process exits; "all services gone" = SIGINT until none of the 50 pids is alive (zombies count as gone); ' +
    '"alive when the tool exited" and "left behind" (still alive 2 s after the tool exited) are the worst run. ' +
    `Median of ${n} runs, tools alternating. Commands: as in the start-up benchmark.\n\n`;
  text += table(
    ['tool', 'tool exits', 'all services gone', 'alive when the tool exited', 'left behind', 'exit code', 'failed runs'],
    tools.map((t) => {
      const s = sum[t.key];
      return [
        t.label,
        fmtMs(s.exitMs) + (s.neverExited ? ` (${s.neverExited} never exited)` : ''),
        fmtMs(s.goneMs),
        fmtInt(s.aliveAtExitMax),
        fmtInt(s.leftoversMax),
        s.codes,
        `${s.failures}/${s.runs}`,
      ];
    }),
  );
  text += '\n';
  const m = sum.msdev;
  const targets = [
    {
      name: 'no service process survives `msdev` stopping (SPEC §2)',
      met: m.failures === 0 && m.neverExited === 0 ? m.leftoversMax === 0 && m.aliveAtExitMax === 0 : false,
      figures:
        `worst run: ${fmtInt(m.aliveAtExitMax)} alive when msdev exited, ${fmtInt(m.leftoversMax)} left 2 s later; ` +
        `msdev exits ${fmtMs(m.exitMs)} after SIGINT, all gone after ${fmtMs(m.goneMs)} (concurrently: ${fmtMs(sum.conc.exitMs)} / ${fmtMs(sum.conc.goneMs)}, ${fmtInt(sum.conc.leftoversMax)} left)` +
        (m.failures ? `; ${m.failures} runs never got ready` : ''),
    },
  ];
  return { title: 'Shutdown', text, targets, data: { sum } };
}

if (isMain(import.meta.url)) await runAlone(shutdown);
