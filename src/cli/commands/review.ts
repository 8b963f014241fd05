// kubeward review PATH...: what a third-party integration could do once installed.

import { UsageError } from '../../errors.js';
import { formatReview, REVIEW_FORMATS } from '../../review/format.js';
import { reviewIntegration } from '../../review/review.js';
import { buildInventory } from '../../scan/run.js';
import { loadPaths } from '../../sources/files.js';
import { emit, oneOf, parseFlags } from '../args.js';

export const USAGE = `Usage: kubeward review [flags] PATH...

Reviews the rendered manifests of an integration (helm template output, an install.yaml) before
you enable it: what its ServiceAccounts can do (effective permissions, escalation paths, in
plain words), pods with host access, the admission webhooks it registers and their scope, its
CRDs, what it puts in kube-system, a risk verdict, and namespaced alternatives to its
cluster-wide grants. RBAC is evaluated as the Kubernetes authorizer does, with the default
bootstrap roles present.

Flags:
  -n, --namespace NS   namespace for objects that name none (as "kubectl apply -n" / helm -n)
  --format text|json   output format (default text)
  -o, --output FILE    write the review to FILE
`;

export async function run(argv: string[]): Promise<number> {
  const { values, positionals } = parseFlags(argv, {
    namespace: { type: 'string', short: 'n' },
    format: { type: 'string' },
    output: { type: 'string', short: 'o' },
  });
  if (values.help) {
    process.stdout.write(USAGE);
    return 0;
  }
  const format = oneOf('format', values.format, REVIEW_FORMATS, 'text');
  if (positionals.length === 0) throw new UsageError('give the rendered manifests to review: PATH... (or "-" for stdin)');
  const load = await loadPaths(positionals);
  for (const e of load.errors) process.stderr.write(`kubeward review: ${e.source}${e.line ? `:${e.line}` : ''}: ${e.message}\n`);
  const review = reviewIntegration(buildInventory(load, values.namespace));
  await emit(formatReview(review, format), values.output);
  return load.errors.length > 0 ? 2 : 0;
}
