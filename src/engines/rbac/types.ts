// The RBAC model the engine works on: rules, roles, bindings and requests, normalised from the
// objects read (rbac.authorization.k8s.io/v1).

import type { Item } from '../../inventory/types.js';

/** A PolicyRule with every list present (absent lists are empty, as the API server decodes them). */
export interface PolicyRule {
  verbs: string[];
  apiGroups: string[];
  resources: string[];
  resourceNames: string[];
  nonResourceURLs: string[];
}

export type RoleKind = 'Role' | 'ClusterRole';
export type BindingKind = 'RoleBinding' | 'ClusterRoleBinding';
export type SubjectKind = 'User' | 'Group' | 'ServiceAccount';

export interface RoleRecord {
  kind: RoleKind;
  name: string;
  namespace?: string;
  /** Effective rules: for an aggregated ClusterRole, recomputed from its aggregationRule. */
  rules: PolicyRule[];
  labels: Record<string, string>;
  /** True when the rules come from aggregationRule (the stored rules are ignored). */
  aggregated: boolean;
  /** Part of the default bootstrap policy of every cluster (present in the input or supplied). */
  builtin: boolean;
  /** The object read; absent for a built-in role the input did not contain. */
  item?: Item;
}

export interface RoleRef {
  apiGroup?: string;
  kind: string;
  name: string;
}

/** A binding subject as written (namespace may be empty). */
export interface BindingSubject {
  kind: string;
  name: string;
  namespace?: string;
  apiGroup?: string;
}

export interface BindingRecord {
  kind: BindingKind;
  name: string;
  namespace?: string;
  roleRef: RoleRef;
  subjects: BindingSubject[];
  builtin: boolean;
  item?: Item;
  /** Position in the input, so results follow the order the authorizer visits bindings in. */
  order: number;
  /** The role the binding grants; undefined when it is missing or cannot be referenced. */
  role?: RoleRecord;
  /** Why the role reference does not resolve (a missing role, a Role in a ClusterRoleBinding). */
  roleError?: string;
}

/** An authenticated identity, as the authenticator hands it to the authorizer. */
export interface UserInfo {
  name: string;
  groups: string[];
}

/** The attributes of a request the authorizer decides on (authorizer.Attributes). */
export interface RequestAttributes {
  verb: string;
  /** Resource request when `resource` is set; a non-resource request when `path` is set. */
  resource?: string;
  subresource?: string;
  apiGroup?: string;
  name?: string;
  /** Empty or undefined: a cluster-scoped request or one across all namespaces. */
  namespace?: string;
  path?: string;
}

/** A subject as the reports name it; ServiceAccounts always carry their namespace. */
export interface SubjectId {
  kind: SubjectKind;
  name: string;
  namespace?: string;
}

/** One way a subject holds a role: the binding, the subject entry in it, and the role. */
export interface Grant {
  binding: BindingRecord;
  role: RoleRecord;
  /** The namespace the grant applies in; undefined for a ClusterRoleBinding (everywhere). */
  scope?: string;
  subject: SubjectId;
}
