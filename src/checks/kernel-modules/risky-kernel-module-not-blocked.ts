import type { HostSnapshot, ModprobeRule } from '../../inventory/host.js';
import { forEachHost, hostInventory } from '../component-support.js';
import { defineCheck, fail, pass } from '../define.js';
import { blockModules } from '../../fix/node-fixes.js';

/** Rarely used network protocols the guide asks to keep out of the kernel. */
export const RISKY_MODULES = ['dccp', 'sctp'] as const;

/** modprobe treats - and _ in module names alike. */
export function sameModule(a: string, b: string): boolean {
  return a.replace(/-/g, '_') === b.replace(/-/g, '_');
}

/** The rule that keeps a module from loading: a blacklist, or install X /bin/false|/bin/true. */
export function blockingRule(host: HostSnapshot, module: string): ModprobeRule | undefined {
  return host.modprobeRules.find((r) => sameModule(r.module, module) && (r.directive === 'blacklist' || /^\/(usr\/)?bin\/(false|true)$/.test(r.command ?? '')));
}

export default defineCheck({
  id: 'risky-kernel-module-not-blocked',
  section: 'kernel-modules',
  severity: 'medium',
  title: 'Node lets dccp or sctp load on demand',
  docs: {
    what: 'On every node root, reports dccp and sctp when no rule in /etc/modprobe.d, /run/modprobe.d, /usr/lib/modprobe.d or /lib/modprobe.d blacklists them or replaces their loading with `install <module> /bin/false` (or /bin/true). A blacklist only stops automatic loading by alias, which is what an unprivileged socket() call triggers; the install form also stops an explicit modprobe.',
    why: 'An unprivileged process in a container can make the kernel load a protocol module just by opening a socket of that family. DCCP and SCTP are rarely used and have had local privilege-escalation bugs (CVE-2017-6074 in DCCP, several in SCTP): loading them on demand hands every container that attack surface.',
    references: ['Securing a Cluster: Preventing containers from loading unwanted kernel modules', 'https://kubernetes.io/docs/tasks/administer-cluster/securing-a-cluster/#preventing-containers-from-loading-unwanted-kernel-modules', 'CVE-2017-6074'],
  },
  remediation: `/etc/modprobe.d/kubernetes-blacklist.conf:

blacklist dccp
install dccp /bin/false
blacklist sctp
install sctp /bin/false`,
  *evaluate(ctx) {
    yield* forEachHost(ctx, function* (host) {
      for (const module of RISKY_MODULES) {
        const rule = blockingRule(host, module);
        const subject = { ref: { kind: 'Node', name: host.name }, location: rule ? { file: rule.file, line: rule.line } : { file: `${host.root.replace(/\/+$/, '')}/etc/modprobe.d` } };
        if (rule) yield pass(subject);
        else yield fail(subject, `node ${host.name}: kernel module ${module} is neither blacklisted nor disabled in modprobe.d`);
      }
    });
  },
  examples: {
    fail: [{ description: 'only dccp is blacklisted', build: () => hostInventory({ modprobeRules: [{ directive: 'blacklist', module: 'dccp', file: '/host/etc/modprobe.d/k.conf', line: 1 }] }) }],
    pass: [{
      description: 'blacklisted and disabled',
      build: () => hostInventory({
        modprobeRules: [
          { directive: 'blacklist', module: 'dccp', file: '/host/etc/modprobe.d/k.conf', line: 1 },
          { directive: 'install', module: 'sctp', command: '/bin/false', file: '/host/etc/modprobe.d/k.conf', line: 2 },
        ],
      }),
    }],
  },
  fix: {
    safety: 'safe',
    summary: 'writes /etc/modprobe.d/kubeward-blacklist.conf with blacklist and install MODULE /bin/false for dccp and sctp (neither can then be loaded on demand)',
    plan: (ctx) => blockModules(ctx, (host) => RISKY_MODULES.filter((m) => !blockingRule(host, m))),
  },
});
