// Preloaded with `node --import` into a process measured as a whole (the CLI, by the benchmarks
// and the hostile-input tests): at exit it writes the process's peak RSS in bytes to the file
// KUBEWARD_RSS_FILE names, and its CPU time in ms (user + system, every thread) to the file
// KUBEWARD_CPU_FILE names, since a parent cannot read a child's figures portably. CPU time is the figure to compare on a busy
// machine, where wall time also counts waiting for other processes.

import { writeFileSync } from 'node:fs';

const rssFile = process.env.KUBEWARD_RSS_FILE;
const cpuFile = process.env.KUBEWARD_CPU_FILE;
process.on('exit', () => {
  if (rssFile) writeFileSync(rssFile, String(process.resourceUsage().maxRSS * 1024));
  if (cpuFile) {
    const cpu = process.cpuUsage();
    writeFileSync(cpuFile, String((cpu.user + cpu.system) / 1000));
  }
});
