import { defineCheck, fail, notEvaluated, pass, subjectAtField } from '../define.js';
import { forEachEncryptionConfig, hostFileOf, nodeRootExample } from './encryption-config.js';
import { restrictToRoot } from '../../fix/node-fixes.js';

export default defineCheck({
  id: 'encryption-config-readable-by-others',
  section: 'secrets-encryption',
  severity: 'high',
  title: 'The encryption config file (with the keys) is readable by other users of the node',
  docs: {
    what: 'Reports EncryptionConfiguration files, read from a node root, whose mode gives the group or other users any access (anything beyond 600), or whose owner is not root. Needs --node-root: file modes are not in manifests.',
    why: 'With aescbc, aesgcm or secretbox the file holds the keys that decrypt every Secret in etcd and its backups. Any process or user on the control-plane node that can read it can decrypt a stolen backup, undoing encryption at rest.',
    references: [
      'Securing a Cluster: Encrypt secrets at rest',
      'https://kubernetes.io/docs/tasks/administer-cluster/encrypt-data/',
    ],
  },
  remediation: `On every control-plane node:

chown root:root /etc/kubernetes/encryption-config.yaml
chmod 600 /etc/kubernetes/encryption-config.yaml`,
  *evaluate(ctx) {
    yield* forEachEncryptionConfig(ctx, function* ({ config }) {
      const file = hostFileOf(ctx.inventory, config);
      if (!file) {
        yield notEvaluated(subjectAtField(config), `the mode of ${config.location.file} is unknown: it was not read from a node root (scan the node with --node-root)`);
        return;
      }
      const mode = file.mode.toString(8).padStart(3, '0');
      const problems = [...((file.mode & 0o077) !== 0 ? [`has mode ${mode}`] : []), ...(file.uid !== 0 ? [`is owned by uid ${file.uid}`] : [])];
      if (problems.length > 0) yield fail(subjectAtField(config), `${file.path} ${problems.join(' and ')}: users other than root can read the encryption keys`);
      else yield pass(subjectAtField(config));
    });
  },
  examples: {
    fail: [{ description: 'mode 644 on the node', build: () => nodeRootExample(0o644) }],
    pass: [{ description: 'mode 600, owned by root', build: () => nodeRootExample(0o600) }],
  },
  fix: {
    safety: 'safe',
    summary: 'chmod 600 (group and other bits cleared) and chown root the EncryptionConfiguration file',
    plan(ctx, failures) {
      const failing = new Set(failures.map((f) => `${f.subject.ref.kind}/${f.subject.ref.name}`));
      restrictToRoot(ctx, ctx.check.inventory.ofKind('EncryptionConfiguration').filter((i) => failing.has(`${i.ref.kind}/${i.ref.name}`)));
    },
  },
});
