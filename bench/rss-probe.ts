// Preloaded with `node --import` into a process the benchmarks measure as a whole (the CLI):
// at exit it writes the process's peak RSS in bytes to the file KUBEWARD_BENCH_RSS names, and its
// CPU time in ms (user + system, every thread) to the file KUBEWARD_BENCH_CPU names, since a
// parent cannot read a child's figures portably. CPU time is the figure to compare on a busy
// machine, where wall time also counts waiting for other processes.

import { writeFileSync } from 'node:fs';

const rssFile = process.env.KUBEWARD_BENCH_RSS;
const cpuFile = process.env.KUBEWARD_BENCH_CPU;
process.on('exit', () => {
  if (rssFile) writeFileSync(rssFile, String(process.resourceUsage().maxRSS * 1024));
  if (cpuFile) {
    const cpu = process.cpuUsage();
    writeFileSync(cpuFile, String((cpu.user + cpu.system) / 1000));
  }
});
