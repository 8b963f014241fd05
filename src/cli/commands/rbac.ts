// kubeward rbac who-can|can|permissions|paths: questions to the RBAC authorizer over manifests.

import { describeRule } from '../../engines/rbac/compact.js';
import { clusterFactsOf, describeCite, EscalationGraph, TARGETS, type Target } from '../../engines/rbac/escalation.js';
import { describeSubject, parseSubjectSpec, RbacIndex, userInfoFor, type Decision, type WhoCanSubject } from '../../engines/rbac/index.js';
import { escalationPaths, formatPaths, PATH_FORMATS } from '../../engines/rbac/paths.js';
import { effectivePermissions } from '../../engines/rbac/permissions.js';
import type { Grant, RequestAttributes, SubjectId } from '../../engines/rbac/types.js';
import { UsageError } from '../../errors.js';
import type { Inventory } from '../../inventory/inventory.js';
import { terminalLines } from '../../report/terminal.js';
import { emit, oneOf, parseFlags } from '../args.js';
import { readManifests } from '../manifests.js';

export const USAGE = `Usage: kubeward rbac <question> [flags] PATH...

Answers RBAC questions exactly as the Kubernetes RBAC authorizer decides them, over manifests
(files, folders, "-" for stdin; kubectl get -o yaml dumps). The default bootstrap roles and
bindings (cluster-admin, admin/edit/view with aggregation, discovery) are assumed present.

Questions:
  who-can VERB RESOURCE[/SUBRESOURCE] PATH...   subjects allowed, with the bindings that allow it
  can SUBJECT VERB RESOURCE[/SUBRESOURCE] PATH... yes or no, with the binding and rule (exit 1 on no)
  permissions SUBJECT PATH...                     effective rules, compacted, per namespace
  paths PATH...                                   escalation paths to cluster-admin, secrets or nodes

SUBJECT: user:NAME, group:NAME or sa:NAMESPACE/NAME. RESOURCE may be written resource.group.

Flags:
  --api-group G              API group of the resource (default: the core group "")
  --name N                   object name (resourceNames rules match only named requests)
  -n, --namespace NS         request namespace; without it only ClusterRoleBindings apply
  --non-resource-url URL     ask about a non-resource URL (no RESOURCE then), e.g. /metrics
  --from SUBJECT             paths: only from this subject
  --to TARGET                paths: cluster-admin (default), secrets or nodes
  --include-system           paths: include system:* identities and kube-system accounts
  --format F                 text (default) or json; paths also dot and mermaid
  -o, --output FILE          write the answer to FILE
`;

const FLAGS = {
  'api-group': { type: 'string' },
  name: { type: 'string' },
  namespace: { type: 'string', short: 'n' },
  'non-resource-url': { type: 'string' },
  from: { type: 'string' },
  to: { type: 'string' },
  'include-system': { type: 'boolean' },
  format: { type: 'string' },
  output: { type: 'string', short: 'o' },
} as const;

type Values = ReturnType<typeof parseFlags<typeof FLAGS>>['values'];

export async function run(argv: string[]): Promise<number> {
  const { values, positionals } = parseFlags(argv, FLAGS);
  const [question, ...args] = positionals;
  if (values.help || question === undefined) {
    process.stdout.write(USAGE);
    return values.help ? 0 : 2;
  }
  switch (question) {
    case 'who-can': return whoCan(values, args);
    case 'can': return can(values, args);
    case 'permissions': return permissions(values, args);
    case 'paths': return paths(values, args);
    default: throw new UsageError(`unknown question "${question}" (who-can, can, permissions, paths)`);
  }
}

async function load(paths: string[]): Promise<{ inventory: Inventory; index: RbacIndex; incomplete: boolean }> {
  const { inventory, incomplete } = await readManifests('rbac', paths, { whenNone: 'give the manifests to read: PATH... (or "-" for stdin)' });
  return { inventory, index: new RbacIndex(inventory.items), incomplete };
}

function subjectArg(spec: string | undefined): SubjectId {
  const subject = spec === undefined ? undefined : parseSubjectSpec(spec);
  if (!subject) throw new UsageError(`SUBJECT must be user:NAME, group:NAME or sa:NAMESPACE/NAME (got "${spec ?? ''}")`);
  return subject;
}

/** VERB [RESOURCE] from the arguments and flags; returns the request and the remaining paths. */
function requestArgs(values: Values, args: string[]): { request: RequestAttributes; paths: string[] } {
  const [verb, ...rest] = args;
  if (!verb) throw new UsageError('missing VERB');
  const namespace = values.namespace ? { namespace: values.namespace } : {};
  const url = values['non-resource-url'];
  if (url !== undefined) {
    if (!url.startsWith('/')) throw new UsageError(`--non-resource-url must start with "/" (got "${url}")`);
    return { request: { verb, path: url }, paths: rest };
  }
  const [spec, ...paths] = rest;
  if (!spec) throw new UsageError('missing RESOURCE (or --non-resource-url)');
  const [resourceAndGroup, subresource, ...extra] = spec.split('/');
  if (extra.length > 0 || !resourceAndGroup) throw new UsageError(`RESOURCE must be resource[/subresource] (got "${spec}")`);
  let resource = resourceAndGroup;
  let apiGroup = values['api-group'] ?? '';
  const dot = resourceAndGroup.indexOf('.');
  if (values['api-group'] === undefined && dot > 0) {
    resource = resourceAndGroup.slice(0, dot);
    apiGroup = resourceAndGroup.slice(dot + 1);
  }
  return {
    request: { verb, resource, apiGroup, ...(subresource ? { subresource } : {}), ...(values.name ? { name: values.name } : {}), ...namespace },
    paths,
  };
}

function format(values: Values): 'text' | 'json' {
  return oneOf('format', values.format, ['text', 'json'] as const, 'text');
}

const bindingRef = (g: Grant) => ({ kind: g.binding.kind, name: g.binding.name, ...(g.binding.namespace ? { namespace: g.binding.namespace } : {}) });
const roleRef = (g: Grant) => ({ kind: g.role.kind, name: g.role.name });

export function whoCanJson(subjects: WhoCanSubject[]) {
  return {
    subjects: subjects.map((s) => ({
      kind: s.kind,
      name: s.name,
      ...(s.kind === 'ServiceAccount' ? { namespace: s.namespace } : {}),
      ...(s.bypass ? { bypass: true } : {}),
      via: s.via.map((g) => ({ binding: bindingRef(g), role: roleRef(g) })),
    })),
  };
}

async function whoCan(values: Values, args: string[]): Promise<number> {
  const fmt = format(values);
  const { request, paths } = requestArgs(values, args);
  const { index, incomplete } = await load(paths);
  const subjects = index.whoCan(request);
  let text: string;
  if (fmt === 'json') text = `${JSON.stringify(whoCanJson(subjects), null, 2)}\n`;
  else {
    const lines = subjects.flatMap((s) => {
      const via = s.bypass ? 'bypasses authorization (privileged group)' : s.via.map((g) => `${bindingRef(g).kind} ${g.binding.namespace ? `${g.binding.namespace}/` : ''}${g.binding.name} -> ${g.role.kind} ${g.role.name}`).join('; ');
      return [describeSubject(s), `    ${via}`];
    });
    text = terminalLines(lines);
  }
  await emit(text, values.output);
  return incomplete ? 2 : 0;
}

function decisionJson(d: Decision) {
  if (!d.allowed) return { allowed: false };
  if (d.bypass) return { allowed: true, bypass: true };
  return { allowed: true, binding: bindingRef(d.grant), role: roleRef(d.grant), rule: d.rule, ruleIndex: d.ruleIndex };
}

async function can(values: Values, args: string[]): Promise<number> {
  const fmt = format(values);
  const [spec, ...rest] = args;
  const subject = subjectArg(spec);
  const { request, paths } = requestArgs(values, rest);
  const { index, incomplete } = await load(paths);
  const decision = index.authorize(userInfoFor(subject), request);
  let text: string;
  if (fmt === 'json') text = `${JSON.stringify({ subject, request, ...decisionJson(decision) }, null, 2)}\n`;
  else if (!decision.allowed) text = 'no\n';
  else if (decision.bypass) text = 'yes (system:masters bypasses authorization)\n';
  else text = terminalLines(['yes', `  ${describeCite({ binding: bindingRef(decision.grant), role: roleRef(decision.grant), rule: decision.rule, ruleIndex: decision.ruleIndex })}`]);
  await emit(text, values.output);
  if (incomplete) return 2;
  return decision.allowed ? 0 : 1;
}

async function permissions(values: Values, args: string[]): Promise<number> {
  const fmt = format(values);
  const [spec, ...paths] = args;
  const subject = subjectArg(spec);
  const { index, incomplete } = await load(paths);
  const bypass = userInfoFor(subject).groups.includes('system:masters') || (subject.kind === 'Group' && subject.name === 'system:masters');
  const perNamespace = effectivePermissions(index, subject, values.namespace !== undefined ? { namespace: values.namespace } : {});
  let text: string;
  if (fmt === 'json') text = `${JSON.stringify({ subject, ...(bypass ? { bypass: true } : {}), permissions: perNamespace }, null, 2)}\n`;
  else {
    const lines = [`${describeSubject(subject)}${bypass ? ' (system:masters: bypasses authorization, every request allowed)' : ''}`];
    for (const p of perNamespace) {
      lines.push(p.namespace === '' ? 'cluster-wide (every namespace and cluster-scoped resources):' : `namespace ${p.namespace} (in addition):`);
      lines.push(...(p.rules.length > 0 ? p.rules.map((r) => `  ${describeRule(r)}`) : ['  (nothing)']));
    }
    text = terminalLines(lines);
  }
  await emit(text, values.output);
  return incomplete ? 2 : 0;
}

async function paths(values: Values, args: string[]): Promise<number> {
  const fmt = oneOf('format', values.format, PATH_FORMATS, 'text');
  const to = oneOf<Target>('to', values.to, TARGETS, 'cluster-admin');
  const from = values.from !== undefined ? subjectArg(values.from) : undefined;
  const { inventory, index, incomplete } = await load(args);
  const graph = new EscalationGraph(index, clusterFactsOf(inventory.items, inventory.podSpecs(), index));
  const found = escalationPaths(graph, { to, ...(from ? { from } : {}), includeSystem: values['include-system'] ?? false });
  await emit(formatPaths(graph, found, fmt), values.output);
  return incomplete ? 2 : 0;
}
