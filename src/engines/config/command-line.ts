// Command lines of Kubernetes components: where a component runs (a static or mirror pod in the
// inventory) and the flags it was given. The config engine builds effective settings on this.

import type { Inventory, PodSpecRef } from '../../inventory/inventory.js';
import type { Container } from '../../inventory/pod.js';
import type { Item } from '../../inventory/types.js';

export const COMPONENTS = ['kube-apiserver', 'kube-controller-manager', 'kube-scheduler', 'etcd', 'kubelet', 'kube-proxy'] as const;
export type Component = (typeof COMPONENTS)[number];

export interface FlagValue {
  value: string;
  /** Index of the argument in the container's command + args, for field paths. */
  argIndex: number;
}

/**
 * Parses component flags as pflag does: `--name=value`, `--name value`, and a bare boolean
 * `--name` (true). A repeated flag keeps its last value, as pflag's Set does for scalars.
 */
export function parseCommandLineFlags(argv: string[], booleanFlags: ReadonlySet<string> = new Set()): Map<string, FlagValue> {
  const flags = new Map<string, FlagValue>();
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i]!;
    if (!arg.startsWith('-') || arg === '-' || arg === '--') continue;
    const body = arg.replace(/^--?/, '');
    const eq = body.indexOf('=');
    if (eq >= 0) {
      flags.set(body.slice(0, eq), { value: body.slice(eq + 1), argIndex: i });
      continue;
    }
    const next = argv[i + 1];
    if (!booleanFlags.has(body) && next !== undefined && !next.startsWith('-')) {
      flags.set(body, { value: next, argIndex: i });
      i++;
    } else {
      flags.set(body, { value: 'true', argIndex: i });
    }
  }
  return flags;
}

export interface ComponentInstance {
  component: Component;
  item: Item;
  container: Container;
  /** Field path of the container, e.g. "spec.containers[0]". */
  containerPath: string;
  /** command followed by args, as the container runs them. */
  argv: string[];
  flags: Map<string, FlagValue>;
}

/**
 * command followed by args, as strings: YAML turns an unquoted `- 8443` into a number, which the
 * API server would refuse but a manifest on disk may still hold.
 */
export function argvOf(container: Container): string[] {
  return [...(container.command ?? []), ...(container.args ?? [])].map(String);
}

/** Which component a container runs, from its command (kubeadm) or its pod's component label. */
export function componentOf(container: Container, podLabels: Record<string, string> | undefined): Component | undefined {
  // Most containers of a dump give neither: no argv to build for them.
  const argv = container.command == null && container.args == null ? [] : argvOf(container);
  for (const word of argv.slice(0, 3)) {
    const base = word.split('/').pop()!;
    if ((COMPONENTS as readonly string[]).includes(base)) return base as Component;
  }
  const label = podLabels?.component ?? podLabels?.['k8s-app'];
  return (COMPONENTS as readonly string[]).includes(label ?? '') ? (label as Component) : undefined;
}

/** Every container of every Pod in the inventory that runs the given component. */
export function findComponent(inventory: Inventory, component: Component): ComponentInstance[] {
  return (componentContainers(inventory).get(component) ?? []).map(({ ref, container, index }) => {
    const argv = argvOf(container);
    return { component, item: ref.item, container, containerPath: `${ref.path}.containers[${index}]`, argv, flags: parseCommandLineFlags(argv) };
  });
}

interface ComponentContainer {
  ref: PodSpecRef;
  container: Container;
  index: number;
}

/** An inventory does not change: its containers are sorted by component once, not once per component. */
const containersByComponent = new WeakMap<Inventory, Map<Component, ComponentContainer[]>>();

function componentContainers(inventory: Inventory): Map<Component, ComponentContainer[]> {
  let byComponent = containersByComponent.get(inventory);
  if (byComponent) return byComponent;
  byComponent = new Map();
  for (const ref of inventory.podSpecs()) {
    (ref.spec.containers ?? []).forEach((container, index) => {
      const component = componentOf(container, ref.podMetadata.labels);
      if (!component) return;
      const list = byComponent!.get(component);
      if (list) list.push({ ref, container, index });
      else byComponent!.set(component, [{ ref, container, index }]);
    });
  }
  containersByComponent.set(inventory, byComponent);
  return byComponent;
}
