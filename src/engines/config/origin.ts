// Where an effective value came from: a flag, an environment variable, a config file field, or
// the component's built-in default at the cluster's version.

import type { Location } from '../../inventory/types.js';

export type Origin =
  | { kind: 'flag'; flag: string; location: Location; field: string }
  | { kind: 'env'; name: string; location: Location; field: string }
  | { kind: 'file'; location: Location; field: string }
  | { kind: 'default'; version: string | undefined };

/** An effective value with its origin. `value` is undefined when nothing sets it and it has no default. */
export interface Setting {
  value: string | undefined;
  origin: Origin;
  /** Set when the value cannot be known from the input (a config file it names is missing). */
  unresolved?: string;
}

export function describeOrigin(origin: Origin): string {
  switch (origin.kind) {
    case 'flag':
      return `--${origin.flag} at ${where(origin.location)} (${origin.field})`;
    case 'env':
      return `env ${origin.name} at ${where(origin.location)} (${origin.field})`;
    case 'file':
      return `${origin.field} at ${where(origin.location)}`;
    case 'default':
      return origin.version ? `default (${origin.version})` : 'default (cluster version unknown; current upstream default)';
  }
}

/** The location an origin points at, if it has one (defaults have none). */
export function locationOf(origin: Origin): Location | undefined {
  return origin.kind === 'default' ? undefined : origin.location;
}

function where(location: Location): string {
  return location.line ? `${location.file}:${location.line}` : location.file;
}
