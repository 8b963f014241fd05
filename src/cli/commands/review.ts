// kubeward review PATH...: what a third-party integration could do once installed.

import { formatReview, REVIEW_FORMATS } from '../../review/format.js';
import { reviewIntegration } from '../../review/review.js';
import { emit, oneOf, parseFlags } from '../args.js';
import { readManifests } from '../manifests.js';

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
  const { inventory, incomplete } = await readManifests('review', positionals, { whenNone: 'give the rendered manifests to review: PATH... (or "-" for stdin)', namespace: values.namespace });
  await emit(formatReview(reviewIntegration(inventory), format), values.output);
  return incomplete ? 2 : 0;
}
