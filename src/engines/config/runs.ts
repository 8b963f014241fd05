// Every place a component runs, from every kind of input: static pods read from a node root,
// mirror or ordinary pods in a cluster dump, processes in /proc, and the kubelet's systemd unit.
// Each flag keeps where it was written.

import { fieldLineOf } from '../../inventory/field-lines.js';
import { nodePathOf, type HostSnapshot } from '../../inventory/host.js';
import type { Inventory } from '../../inventory/inventory.js';
import type { Location, ResourceRef } from '../../inventory/types.js';
import { componentOf, findComponent, parseCommandLineFlags, type Component, type ComponentInstance, type FlagValue } from './command-line.js';
import type { Origin } from './origin.js';

export interface ComponentRun {
  component: Component;
  /** What findings about this run name. */
  ref: ResourceRef;
  location: Location;
  /** The node root it was read from, when it was. */
  host?: HostSnapshot;
  /** The pod and container, when it runs as a pod. */
  pod?: ComponentInstance;
  argv: string[];
  flags: Map<string, FlagValue>;
  /** Environment variables the component sees (pod env), with origins. */
  env: Map<string, { value: string; origin: Origin }>;
  /** Where a flag that is set was written. */
  flagOrigin(flag: string): Origin | undefined;
}

/** The node root a file was read from, if any. */
export function hostOfFile(inventory: Inventory, file: string): HostSnapshot | undefined {
  return inventory.hosts.find((h) => nodePathOf(h, file) !== undefined);
}

function podRun(inventory: Inventory, instance: ComponentInstance): ComponentRun {
  const { item, container, containerPath } = instance;
  const commandLength = container.command?.length ?? 0;
  const fieldOfArg = (index: number) =>
    index < commandLength ? `${containerPath}.command[${index}]` : `${containerPath}.args[${index - commandLength}]`;
  const lineOf = (field: string) => fieldLineOf(item.object, field) ?? item.location.line;
  const env = new Map<string, { value: string; origin: Origin }>();
  (container.env ?? []).forEach((e, i) => {
    if (typeof e.value !== 'string' || !e.name) return;
    const field = `${containerPath}.env[${i}]`;
    const name = e.name;
    env.set(name, { value: e.value, origin: { kind: 'env', name, field, location: withLine(item.location.file, lineOf(`${field}.value`)) } });
  });
  const host = hostOfFile(inventory, item.location.file);
  return {
    component: instance.component,
    ref: item.ref,
    location: item.location,
    ...(host ? { host } : {}),
    pod: instance,
    argv: instance.argv,
    flags: instance.flags,
    env,
    flagOrigin(flag) {
      const value = instance.flags.get(flag);
      if (!value) return undefined;
      const field = fieldOfArg(value.argIndex);
      return { kind: 'flag', flag, field, location: withLine(item.location.file, lineOf(field)) };
    },
  };
}

function withLine(file: string, line: number | undefined): Location {
  return line === undefined ? { file } : { file, line };
}

function processRun(host: HostSnapshot, component: Component, pid: number, argv: string[]): ComponentRun {
  const file = `${host.root.replace(/\/$/, '')}/proc/${pid}/cmdline`;
  const flags = parseCommandLineFlags(argv);
  return {
    component,
    ref: { kind: 'Process', name: `${component} (pid ${pid}) on ${host.name}` },
    location: { file },
    host,
    argv,
    flags,
    env: new Map(),
    flagOrigin(flag) {
      const value = flags.get(flag);
      return value ? { kind: 'flag', flag, field: `argv[${value.argIndex}]`, location: { file } } : undefined;
    },
  };
}

function kubeletUnitRun(host: HostSnapshot): ComponentRun | undefined {
  const line = host.kubeletCommandLine;
  if (!line) return undefined;
  const flags = parseCommandLineFlags(line.argv);
  return {
    component: 'kubelet',
    ref: { kind: 'Node', name: host.name },
    location: line.locations[0] ?? { file: host.root },
    host,
    argv: line.argv,
    flags,
    env: new Map(),
    flagOrigin(flag) {
      const value = flags.get(flag);
      if (!value) return undefined;
      const location = line.locations[value.argIndex] ?? { file: host.root };
      return { kind: 'flag', flag, field: 'kubelet command line (systemd unit)', location };
    },
  };
}

/**
 * Every run of a component. A process is left out when the same node also has the component's
 * static pod (that is the process of the pod, and the manifest is what to edit); the kubelet's
 * process is left out when its systemd unit was read.
 */
export function componentRuns(inventory: Inventory, component: Component): ComponentRun[] {
  const runs = findComponent(inventory, component).map((instance) => podRun(inventory, instance));
  for (const host of inventory.hosts) {
    const unit = component === 'kubelet' ? kubeletUnitRun(host) : undefined;
    if (unit) {
      runs.push(unit);
      continue;
    }
    if (runs.some((r) => r.host === host)) continue;
    for (const process of host.processes) {
      if (componentOf({ name: '', command: process.argv }, undefined) === component) {
        runs.push(processRun(host, component, process.pid, process.argv));
      }
    }
  }
  return runs;
}
