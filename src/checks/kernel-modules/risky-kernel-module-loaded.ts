import { forEachHost, hostInventory } from '../component-support.js';
import { defineCheck, fail, notEvaluated, pass } from '../define.js';
import { RISKY_MODULES, blockingRule, sameModule } from './risky-kernel-module-not-blocked.js';

export default defineCheck({
  id: 'risky-kernel-module-loaded',
  section: 'kernel-modules',
  severity: 'medium',
  title: 'dccp or sctp is loaded on a node',
  docs: {
    what: 'On every node root, reports dccp and sctp when /proc/modules lists them as loaded, whether or not modprobe.d now blocks them (a blacklist added after the module loaded changes nothing until it is unloaded or the node reboots). Not evaluated when the node root has no /proc/modules (a copy without /proc).',
    why: 'A loaded module is reachable from every container through socket(); its bugs are a path from a container to the host kernel.',
    references: ['Securing a Cluster: Preventing containers from loading unwanted kernel modules'],
  },
  remediation: `Unload it where nothing uses it (modprobe -r dccp sctp), and block it in /etc/modprobe.d so it does not come back:

install dccp /bin/false
install sctp /bin/false`,
  *evaluate(ctx) {
    yield* forEachHost(ctx, function* (host) {
      const subject = { ref: { kind: 'Node', name: host.name }, location: { file: `${host.root.replace(/\/+$/, '')}/proc/modules` } };
      if (!host.loadedModules) return yield notEvaluated(subject, `node ${host.name}: no /proc/modules in the node root; scan the live node (kubeward node) to see loaded modules`);
      for (const module of RISKY_MODULES) {
        if (!host.loadedModules.some((m) => sameModule(m, module))) {
          yield pass(subject);
          continue;
        }
        const blocked = blockingRule(host, module);
        yield fail(subject, `node ${host.name}: kernel module ${module} is loaded${blocked ? ` although ${blocked.file}:${blocked.line} blocks it (it loaded before the rule, or by explicit modprobe)` : ''}`);
      }
    });
  },
  examples: {
    fail: [{ description: 'sctp loaded', build: () => hostInventory({ loadedModules: ['nf_tables', 'sctp', 'overlay'] }) }],
    pass: [{ description: 'neither loaded', build: () => hostInventory({ loadedModules: ['nf_tables', 'overlay'] }) }],
  },
});
