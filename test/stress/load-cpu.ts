// CPU time of a process, to tell which side of a load test is the bottleneck.
import { readFileSync } from 'node:fs';

/** USER_HZ, the unit of /proc/PID/stat times: 100 on the architectures Node supports on Linux. */
const CLOCK_TICKS_PER_SEC = 100;

/** User plus system CPU seconds a process has used (/proc/PID/stat, proc(5) fields 14 and 15). */
export function cpuSeconds(pid: number): number {
  const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
  // The command name (field 2) may hold spaces and parentheses: count fields after its last ')'.
  const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
  return (Number(fields[11]) + Number(fields[12])) / CLOCK_TICKS_PER_SEC;
}
