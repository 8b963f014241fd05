// Custom resources for the test API server: the CustomResourceDefinitions among its objects are
// served (discovery and requests, every served version), and writes to them are checked as
// kube-apiserver checks them: against the version's openAPIV3Schema (unknown fields refused, as
// with fieldValidation=Strict), object names and label values, and etcd's size limit. A kind
// whose CRD is not installed is not served, so requests for it answer 404.

import Ajv from 'ajv';
import type { K8sObject } from '../../inventory/types.js';
import type { ServedResource } from './discovery.js';
import { objectsOfYaml } from './fixtures.js';

interface CrdVersion {
  name: string;
  served?: boolean;
  schema?: { openAPIV3Schema?: Record<string, unknown> };
}

interface Crd extends K8sObject {
  spec?: {
    group?: string;
    scope?: string;
    names?: { kind?: string; plural?: string; singular?: string; shortNames?: string[] };
    versions?: CrdVersion[];
  };
}

const VERBS = ['create', 'delete', 'deletecollection', 'get', 'list', 'patch', 'update', 'watch'];

const isCrd = (o: K8sObject): o is Crd => o.kind === 'CustomResourceDefinition' && o.apiVersion === 'apiextensions.k8s.io/v1';

/** The resources the CRDs among `objects` define, one per served version. */
export function customResources(objects: readonly K8sObject[]): ServedResource[] {
  return objects.filter(isCrd).flatMap((crd) => {
    const { group = '', names = {}, scope, versions = [] } = crd.spec ?? {};
    return versions.filter((v) => v.served !== false).map((v) => ({
      group,
      version: v.name,
      name: names.plural ?? '',
      singularName: names.singular ?? (names.kind ?? '').toLowerCase(),
      namespaced: scope === 'Namespaced',
      kind: names.kind ?? '',
      verbs: VERBS,
      ...(names.shortNames ? { shortNames: names.shortNames } : {}),
    }));
  });
}

/** The CRDs of a YAML file (the policy report CRDs of the spec corpus, for instance). */
export function crdsOfFile(path: string): K8sObject[] {
  return objectsOfYaml(path).filter(isCrd);
}

export type Validate = (object: unknown) => string[];

/**
 * A validator for one version of a CRD: the errors kube-apiserver would give, as
 * "<path>: <message>", empty when the object is valid. Structural schemas refuse fields they
 * do not declare (under fieldValidation=Strict; the default prunes them): so does this.
 */
export function crdValidator(crd: K8sObject, version: string): Validate {
  const v = (crd as Crd).spec?.versions?.find((x) => x.name === version);
  const schema = v?.schema?.openAPIV3Schema;
  if (!schema) throw new Error(`CRD ${crd.metadata?.name} has no schema for version ${version}`);
  const ajv = new Ajv.default({ allErrors: true, strict: false, validateFormats: false });
  const validate = ajv.compile(strictSchema(schema) as object);
  return (object) => {
    if (validate(object)) return [];
    return (validate.errors ?? []).map((e) => {
      const extra = e.keyword === 'additionalProperties' ? ` (unknown field "${(e.params as { additionalProperty: string }).additionalProperty}")` : '';
      return `${e.instancePath || '/'}: ${e.message}${extra}`;
    });
  };
}

/** The schema with additionalProperties: false wherever it lists properties and keeps no unknowns. */
function strictSchema(node: unknown): unknown {
  if (Array.isArray(node)) return node.map(strictSchema);
  if (!node || typeof node !== 'object') return node;
  const out: Record<string, unknown> = {};
  for (const [k, value] of Object.entries(node)) out[k] = k === 'properties' ? Object.fromEntries(Object.entries(value as object).map(([p, s]) => [p, strictSchema(s)])) : strictSchema(value);
  if (out.properties && out.additionalProperties === undefined && !out['x-kubernetes-preserve-unknown-fields']) out.additionalProperties = false;
  return out;
}

const DNS_SUBDOMAIN = /^[a-z0-9]([-a-z0-9]*[a-z0-9])?(\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*$/;
const LABEL_VALUE = /^(([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9])?$/;

/** Object metadata errors kube-apiserver gives for any kind (names, label values). */
export function metadataErrors(object: K8sObject): string[] {
  const errors: string[] = [];
  const name = object.metadata?.name ?? '';
  if (name.length > 253 || !DNS_SUBDOMAIN.test(name)) errors.push(`metadata.name: Invalid value: "${name}": a lowercase RFC 1123 subdomain must consist of lower case alphanumeric characters, '-' or '.', and must start and end with an alphanumeric character`);
  for (const [key, value] of Object.entries(object.metadata?.labels ?? {})) {
    if (typeof value !== 'string' || value.length > 63 || !LABEL_VALUE.test(value)) errors.push(`metadata.labels: Invalid value: "${String(value)}": a valid label must be an empty string or consist of alphanumeric characters, '-', '_' or '.', and must start and end with an alphanumeric character (label ${key}, at most 63 characters)`);
  }
  return errors;
}
