// What the machine under the benchmark was doing: this machine is a shared virtual one,
// and the host can take CPU time from it (steal, in /proc/stat) in the middle of a step.
// Recorded beside each run's timed sequence, so a run that goes over its budget shows
// whether the host was taking the machine meanwhile (session 36 saw one part 1b run over
// and could not say why). `node bench/host.mjs settle` waits for the machine to go quiet
// before a part (bench/run).
import { readFileSync } from "node:fs";
import { setTimeout as sleep } from "node:timers/promises";

/** The machine's CPU counters now (jiffies of every core together), or null off Linux. */
export function cpuTimes() {
  try {
    const line = readFileSync("/proc/stat", "utf8").split("\n")[0];
    const [user, nice, system, idle, iowait, irq, softirq, steal] =
      line.trim().split(/\s+/).slice(1, 9).map(Number);
    return { busy: user + nice + system + irq + softirq, idle: idle + iowait, steal };
  } catch {
    return null;
  }
}

/** Between two readings: the share (%) of the CPU time the host took (steal) and the
 * share this machine spent busy (the benchmark's browser and server included). */
export function cpuShares(before, after) {
  if (!before || !after) return {};
  const d = (k) => after[k] - before[k];
  const total = d("busy") + d("idle") + d("steal");
  if (total <= 0) return {};
  const pct = (x) => Math.round((1000 * x) / total) / 10;
  return { stealPct: pct(d("steal")), busyPct: pct(d("busy")) };
}

/** Waits (at most a minute) until this machine is under 25% busy over two seconds: what a
 * part before left running (a browser's processes, the server's background gzip,
 * Postgres writing) is not the next part's to pay for. Prints how long it waited. */
export async function settle() {
  let waited = 0;
  let busy = 100;
  while (waited < 60) {
    const before = cpuTimes();
    await sleep(2000);
    waited += 2;
    busy = cpuShares(before, cpuTimes()).busyPct ?? 0;
    if (busy < 25) break;
  }
  console.log(`  (machine settled after ${waited} s: ${Math.round(busy)}% busy)`);
}

if (import.meta.url === `file://${process.argv[1]}` && process.argv[2] === "settle") await settle();
