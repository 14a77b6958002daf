// bench/sip: CPU, memory and context switches of processes, read from /proc.
import { execFileSync } from 'node:child_process';
import { readFileSync, readdirSync } from 'node:fs';

let CLK_TCK = 100;
try { CLK_TCK = Number(execFileSync('getconf', ['CLK_TCK']).toString().trim()) || 100; } catch { /* default */ }
// utime+stime of a process (all its threads), in seconds.
export function cpuSeconds(pid) {
  try {
    const s = readFileSync(`/proc/${pid}/stat`, 'utf8');
    const rest = s.slice(s.lastIndexOf(')') + 2).split(' ');
    return (Number(rest[11]) + Number(rest[12])) / CLK_TCK;
  } catch { return NaN; }
}
export function rssKB(pid) {
  try { return Number(/VmRSS:\s+(\d+)/.exec(readFileSync(`/proc/${pid}/status`, 'utf8'))[1]); } catch { return NaN; }
}
// Context switches (voluntary + involuntary) of every thread of a process.
export function ctxSwitches(pid) {
  let n = 0;
  try {
    for (const tid of readdirSync(`/proc/${pid}/task`)) {
      try {
        const st = readFileSync(`/proc/${pid}/task/${tid}/status`, 'utf8');
        n += Number(/^voluntary_ctxt_switches:\s+(\d+)/m.exec(st)[1]) + Number(/^nonvoluntary_ctxt_switches:\s+(\d+)/m.exec(st)[1]);
      } catch { /* thread gone */ }
    }
  } catch { return NaN; }
  return n;
}
// Busy CPU seconds of the whole machine (all cores), from /proc/stat.
export function machineBusySeconds() {
  const v = readFileSync('/proc/stat', 'utf8').split('\n')[0].trim().split(/\s+/).slice(1).map(Number);
  const total = v.slice(0, 8).reduce((a, b) => a + b, 0);
  return (total - v[3] - v[4]) / CLK_TCK;
}
// Kernel UDP counters of this network namespace (shared with whoever else runs in it).
export function udpCounters() {
  try {
    const lines = readFileSync('/proc/net/snmp', 'utf8').split('\n').filter((l) => l.startsWith('Udp:'));
    const keys = lines[0].split(/\s+/).slice(1);
    const vals = lines[1].split(/\s+/).slice(1).map(Number);
    return Object.fromEntries(keys.map((k, i) => [k, vals[i]]));
  } catch { return {}; }
}
export const nodeCpuSeconds = () => { const u = process.cpuUsage(); return (u.user + u.system) / 1e6; };
