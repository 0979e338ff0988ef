/**
 * Preload for `node --import`: at exit, writes the process's peak resident set size in KiB
 * (process.resourceUsage().maxRSS) and its CPU time in microseconds (user, system) to the file
 * named by PFC_BENCH_RSS_FILE, as `maxRSS user system`. Used by bench/run.mjs to measure the
 * whole `pfc compile` process without GNU time.
 */
import { writeFileSync } from 'node:fs';

const out = process.env.PFC_BENCH_RSS_FILE;
if (out) {
  process.on('exit', () => {
    try {
      const u = process.resourceUsage();
      writeFileSync(out, `${u.maxRSS} ${u.userCPUTime} ${u.systemCPUTime}\n`);
    } catch {
      // nothing to report to: the benchmark shows the RSS as unknown
    }
  });
}
