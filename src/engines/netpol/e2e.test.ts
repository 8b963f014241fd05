// The upstream NetworkPolicy conformance cases (kubernetes test/e2e/network/netpol/
// network_policy.go), transcribed: the same topology (namespaces x, y, z labelled ns=<name>;
// pods a, b, c labelled pod=<name>, one container per port and protocol with a port named
// serve-<port>-<protocol>), the same policies, and the same expected truth tables. Every pair
// of pods is checked except loopback (which upstream ignores too), both through reach() and
// through the class matrix, so the two evaluation paths are held to the same answers.

import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { Protocol } from './ports.js';
import { e2eCluster, Expected, mismatches } from './testing.js';

interface Probe {
  port: number;
  protocol?: Protocol;
  expected: (pods: string[]) => Expected;
}

interface E2eCase {
  name: string;
  pods: string[];
  ports: number[];
  protocols?: Protocol[];
  policies: string;
  probes: Probe[];
}

const allAllowed = (pods: string[]) => new Expected(pods);

const CASES: E2eCase[] = [
  {
    name: "should support a 'default-deny-ingress' policy",
    pods: ['x/a', 'x/b', 'y/a', 'y/b'],
    ports: [80],
    policies: `{apiVersion: networking.k8s.io/v1, kind: NetworkPolicy, metadata: {name: deny-ingress, namespace: x}, spec: {podSelector: {}, policyTypes: [Ingress], ingress: []}}`,
    probes: [{ port: 80, expected: (p) => new Expected(p).expectPeer({}, { ns: 'x' }, false) }],
  },
  {
    name: "should support a 'default-deny-all' policy",
    pods: ['x/a', 'x/b', 'y/a'],
    ports: [80],
    policies: `{apiVersion: networking.k8s.io/v1, kind: NetworkPolicy, metadata: {name: deny-all, namespace: x}, spec: {podSelector: {}, policyTypes: [Ingress, Egress], ingress: [], egress: []}}`,
    probes: [{ port: 80, expected: (p) => new Expected(p).expectPeer({}, { ns: 'x' }, false).expectPeer({ ns: 'x' }, {}, false) }],
  },
  {
    name: 'should enforce policy to allow traffic from pods within server namespace based on PodSelector',
    pods: ['x/a', 'x/b', 'x/c', 'y/a'],
    ports: [80],
    policies: `{apiVersion: networking.k8s.io/v1, kind: NetworkPolicy, metadata: {name: x-a-allows-x-b, namespace: x}, spec: {podSelector: {matchLabels: {pod: a}}, policyTypes: [Ingress], ingress: [{from: [{podSelector: {matchLabels: {pod: b}}}]}]}}`,
    probes: [{ port: 80, expected: (p) => new Expected(p).allIngress('x/a', false).expect('x/b', 'x/a', true) }],
  },
  {
    name: 'should enforce policy to allow ingress traffic for a target',
    pods: ['x/a', 'x/b', 'y/a'],
    ports: [80],
    policies: `{apiVersion: networking.k8s.io/v1, kind: NetworkPolicy, metadata: {name: deny-all, namespace: x}, spec: {podSelector: {}, policyTypes: [Ingress], ingress: []}}
---
{apiVersion: networking.k8s.io/v1, kind: NetworkPolicy, metadata: {name: allow-all-to-a, namespace: x}, spec: {podSelector: {matchLabels: {pod: a}}, policyTypes: [Ingress], ingress: [{from: [{podSelector: {}, namespaceSelector: {}}]}]}}`,
    probes: [{ port: 80, expected: (p) => new Expected(p).allIngress('x/a', true).allIngress('x/b', false) }],
  },
  {
    name: 'should enforce policy to allow ingress traffic from pods in all namespaces',
    pods: ['x/a', 'x/b', 'y/a', 'z/a'],
    ports: [80],
    policies: `{apiVersion: networking.k8s.io/v1, kind: NetworkPolicy, metadata: {name: allow-from-another-ns, namespace: x}, spec: {podSelector: {matchLabels: {pod: a}}, policyTypes: [Ingress], ingress: [{from: [{namespaceSelector: {matchLabels: {}}}]}]}}`,
    probes: [{ port: 80, expected: allAllowed }],
  },
  {
    name: 'should enforce policy to allow traffic only from a different namespace, based on NamespaceSelector',
    pods: ['x/a', 'x/b', 'y/a', 'z/a'],
    ports: [80],
    policies: `{apiVersion: networking.k8s.io/v1, kind: NetworkPolicy, metadata: {name: allow-client-a-via-ns-selector, namespace: x}, spec: {podSelector: {matchLabels: {pod: a}}, policyTypes: [Ingress], ingress: [{from: [{namespaceSelector: {matchLabels: {kubernetes.io/metadata.name: y}}}]}]}}`,
    probes: [{ port: 80, expected: (p) => new Expected(p).expectPeer({ ns: 'x' }, { ns: 'x', pod: 'a' }, false).expectPeer({ ns: 'z' }, { ns: 'x', pod: 'a' }, false) }],
  },
  {
    name: 'should enforce policy based on PodSelector with MatchExpressions',
    pods: ['x/a', 'x/b', 'y/a'],
    ports: [80],
    policies: `{apiVersion: networking.k8s.io/v1, kind: NetworkPolicy, metadata: {name: x-a-allows-x-b, namespace: x}, spec: {podSelector: {matchLabels: {pod: a}}, policyTypes: [Ingress], ingress: [{from: [{podSelector: {matchExpressions: [{key: pod, operator: In, values: [b]}]}}]}]}}`,
    probes: [{ port: 80, expected: (p) => new Expected(p).allIngress('x/a', false).expect('x/b', 'x/a', true) }],
  },
  {
    name: 'should enforce policy based on NamespaceSelector with MatchExpressions',
    pods: ['x/a', 'x/b', 'y/a', 'z/a'],
    ports: [80],
    policies: `{apiVersion: networking.k8s.io/v1, kind: NetworkPolicy, metadata: {name: allow-ns-y-match-selector, namespace: x}, spec: {podSelector: {matchLabels: {pod: a}}, policyTypes: [Ingress], ingress: [{from: [{namespaceSelector: {matchExpressions: [{key: kubernetes.io/metadata.name, operator: In, values: [y]}]}}]}]}}`,
    probes: [{ port: 80, expected: (p) => new Expected(p).expectPeer({ ns: 'x' }, { ns: 'x', pod: 'a' }, false).expectPeer({ ns: 'z' }, { ns: 'x', pod: 'a' }, false) }],
  },
  {
    name: 'should enforce policy based on PodSelector or NamespaceSelector',
    pods: ['x/a', 'x/b', 'x/c', 'y/a'],
    ports: [80],
    policies: `{apiVersion: networking.k8s.io/v1, kind: NetworkPolicy, metadata: {name: allow-ns-y-match-selector, namespace: x}, spec: {podSelector: {matchLabels: {pod: a}}, policyTypes: [Ingress], ingress: [{from: [{namespaceSelector: {matchExpressions: [{key: kubernetes.io/metadata.name, operator: NotIn, values: [x]}]}}, {podSelector: {matchLabels: {pod: b}}}]}]}}`,
    probes: [{ port: 80, expected: (p) => new Expected(p).expect('x/a', 'x/a', false).expect('x/c', 'x/a', false) }],
  },
  {
    name: 'should enforce policy based on PodSelector and NamespaceSelector',
    pods: ['x/a', 'x/b', 'y/a', 'y/b', 'z/b'],
    ports: [80],
    policies: `{apiVersion: networking.k8s.io/v1, kind: NetworkPolicy, metadata: {name: allow-ns-y-podselector-and-nsselector, namespace: x}, spec: {podSelector: {matchLabels: {pod: a}}, policyTypes: [Ingress], ingress: [{from: [{namespaceSelector: {matchExpressions: [{key: kubernetes.io/metadata.name, operator: NotIn, values: [x]}]}, podSelector: {matchLabels: {pod: b}}}]}]}}`,
    probes: [{ port: 80, expected: (p) => new Expected(p).allIngress('x/a', false).expect('y/b', 'x/a', true).expect('z/b', 'x/a', true) }],
  },
  {
    name: 'should enforce policy based on Multiple PodSelectors and NamespaceSelectors',
    pods: ['x/a', 'x/b', 'y/a', 'y/b', 'y/c'],
    ports: [80],
    policies: `{apiVersion: networking.k8s.io/v1, kind: NetworkPolicy, metadata: {name: allow-ns-y-z-pod-b-c, namespace: x}, spec: {podSelector: {matchLabels: {pod: a}}, policyTypes: [Ingress], ingress: [{from: [{namespaceSelector: {matchExpressions: [{key: kubernetes.io/metadata.name, operator: NotIn, values: [x]}]}, podSelector: {matchExpressions: [{key: pod, operator: In, values: [b, c]}]}}]}]}}`,
    probes: [{ port: 80, expected: (p) => new Expected(p).expectPeer({ ns: 'x' }, { ns: 'x', pod: 'a' }, false).expect('y/a', 'x/a', false) }],
  },
  {
    name: 'should enforce policy based on any PodSelectors',
    pods: ['x/a', 'x/b', 'x/c'],
    ports: [80],
    policies: `{apiVersion: networking.k8s.io/v1, kind: NetworkPolicy, metadata: {name: allow-ns-x-pod-b-c, namespace: x}, spec: {podSelector: {matchLabels: {pod: a}}, policyTypes: [Ingress], ingress: [{from: [{podSelector: {matchLabels: {pod: b}}}, {podSelector: {matchLabels: {pod: c}}}]}]}}`,
    probes: [{ port: 80, expected: (p) => new Expected(p).allIngress('x/a', false).expect('x/b', 'x/a', true).expect('x/c', 'x/a', true) }],
  },
  {
    name: 'should enforce policy to allow traffic only from a pod in a different namespace based on PodSelector and NamespaceSelector',
    pods: ['x/a', 'x/b', 'y/a', 'y/b', 'z/a'],
    ports: [80],
    policies: `{apiVersion: networking.k8s.io/v1, kind: NetworkPolicy, metadata: {name: allow-ns-y-pod-a-via-namespace-pod-selector, namespace: x}, spec: {podSelector: {matchLabels: {pod: a}}, policyTypes: [Ingress], ingress: [{from: [{namespaceSelector: {matchLabels: {kubernetes.io/metadata.name: y}}, podSelector: {matchLabels: {pod: a}}}]}]}}`,
    probes: [{ port: 80, expected: (p) => new Expected(p).allIngress('x/a', false).expect('y/a', 'x/a', true) }],
  },
  {
    name: 'should enforce policy based on Ports',
    pods: ['x/a', 'x/b', 'y/a', 'y/b', 'z/a'],
    ports: [81],
    policies: `{apiVersion: networking.k8s.io/v1, kind: NetworkPolicy, metadata: {name: allow-client-a-via-ns-selector, namespace: x}, spec: {podSelector: {matchLabels: {pod: a}}, policyTypes: [Ingress], ingress: [{from: [{namespaceSelector: {matchLabels: {kubernetes.io/metadata.name: y}}}], ports: [{port: 81, protocol: TCP}]}]}}`,
    probes: [{ port: 81, expected: (p) => new Expected(p).expectPeer({ ns: 'x' }, { ns: 'x', pod: 'a' }, false).expectPeer({ ns: 'y' }, { ns: 'x', pod: 'a' }, true).expectPeer({ ns: 'z' }, { ns: 'x', pod: 'a' }, false) }],
  },
  {
    name: 'should enforce multiple, stacked policies with overlapping podSelectors (port 81 policy only)',
    pods: ['x/a', 'x/b', 'y/a', 'y/b', 'z/a'],
    ports: [80, 81],
    policies: `{apiVersion: networking.k8s.io/v1, kind: NetworkPolicy, metadata: {name: allow-client-a-via-ns-selector, namespace: x}, spec: {podSelector: {matchLabels: {pod: a}}, policyTypes: [Ingress], ingress: [{from: [{namespaceSelector: {matchLabels: {kubernetes.io/metadata.name: y}}}], ports: [{port: 81, protocol: TCP}]}]}}`,
    probes: [
      { port: 81, expected: (p) => new Expected(p).expectPeer({ ns: 'x' }, { ns: 'x', pod: 'a' }, false).expectPeer({ ns: 'y' }, { ns: 'x', pod: 'a' }, true).expectPeer({ ns: 'z' }, { ns: 'x', pod: 'a' }, false) },
      { port: 80, expected: (p) => new Expected(p).allIngress('x/a', false) },
    ],
  },
  {
    name: 'should enforce multiple, stacked policies with overlapping podSelectors (port 80 policy added)',
    pods: ['x/a', 'x/b', 'y/a', 'y/b', 'z/a'],
    ports: [80, 81],
    policies: `{apiVersion: networking.k8s.io/v1, kind: NetworkPolicy, metadata: {name: allow-client-a-via-ns-selector, namespace: x}, spec: {podSelector: {matchLabels: {pod: a}}, policyTypes: [Ingress], ingress: [{from: [{namespaceSelector: {matchLabels: {kubernetes.io/metadata.name: y}}}], ports: [{port: 81, protocol: TCP}]}]}}
---
{apiVersion: networking.k8s.io/v1, kind: NetworkPolicy, metadata: {name: allow-client-a-via-ns-selector-80, namespace: x}, spec: {podSelector: {matchLabels: {pod: a}}, policyTypes: [Ingress], ingress: [{from: [{namespaceSelector: {matchLabels: {kubernetes.io/metadata.name: y}}}], ports: [{port: 80, protocol: TCP}]}]}}`,
    probes: [80, 81].map((port) => ({
      port,
      expected: (p: string[]) => new Expected(p).expectPeer({ ns: 'x' }, { ns: 'x', pod: 'a' }, false).expectPeer({ ns: 'y' }, { ns: 'x', pod: 'a' }, true).expectPeer({ ns: 'z' }, { ns: 'x', pod: 'a' }, false),
    })),
  },
  {
    name: 'should support allow-all policy',
    pods: ['x/a', 'x/b', 'y/a'],
    ports: [80, 81],
    policies: `{apiVersion: networking.k8s.io/v1, kind: NetworkPolicy, metadata: {name: allow-all, namespace: x}, spec: {podSelector: {matchLabels: {}}, policyTypes: [Ingress], ingress: [{}]}}`,
    probes: [{ port: 80, expected: allAllowed }, { port: 81, expected: allAllowed }],
  },
  {
    name: 'should allow ingress access on one named port',
    pods: ['x/a', 'x/b', 'y/a'],
    ports: [80, 81],
    policies: `{apiVersion: networking.k8s.io/v1, kind: NetworkPolicy, metadata: {name: allow-all, namespace: x}, spec: {podSelector: {matchLabels: {}}, policyTypes: [Ingress], ingress: [{ports: [{port: serve-81-tcp}]}]}}`,
    probes: [
      { port: 81, expected: allAllowed },
      { port: 80, expected: (p) => new Expected(p).expectPeer({}, { ns: 'x' }, false) },
    ],
  },
  {
    name: 'should allow ingress access from namespace on one named port',
    pods: ['x/a', 'x/b', 'y/a', 'z/a'],
    ports: [80, 81],
    policies: `{apiVersion: networking.k8s.io/v1, kind: NetworkPolicy, metadata: {name: allow-client-a-via-ns-selector-80, namespace: x}, spec: {podSelector: {matchLabels: {pod: a}}, policyTypes: [Ingress], ingress: [{from: [{namespaceSelector: {matchLabels: {kubernetes.io/metadata.name: y}}}], ports: [{port: serve-80-tcp, protocol: TCP}]}]}}`,
    probes: [
      { port: 80, expected: (p) => new Expected(p).expectPeer({ ns: 'x' }, { ns: 'x', pod: 'a' }, false).expectPeer({ ns: 'z' }, { ns: 'x', pod: 'a' }, false) },
      { port: 81, expected: (p) => new Expected(p).allIngress('x/a', false) },
    ],
  },
  {
    name: 'should allow egress access on one named port',
    pods: ['x/a', 'y/a'],
    ports: [80, 81],
    policies: `{apiVersion: networking.k8s.io/v1, kind: NetworkPolicy, metadata: {name: allow-egress, namespace: x}, spec: {podSelector: {matchLabels: {}}, policyTypes: [Egress], egress: [{ports: [{port: serve-80-tcp}]}]}}`,
    probes: [
      { port: 80, expected: allAllowed },
      { port: 81, expected: (p) => new Expected(p).expectPeer({ ns: 'x' }, {}, false) },
    ],
  },
  {
    name: 'should enforce updated policy (after the update to deny all)',
    pods: ['x/a', 'y/a'],
    ports: [81],
    policies: `{apiVersion: networking.k8s.io/v1, kind: NetworkPolicy, metadata: {name: allow-all-mutate-to-deny-all, namespace: x}, spec: {podSelector: {matchLabels: {}}, policyTypes: [Ingress], ingress: []}}`,
    probes: [{ port: 81, expected: (p) => new Expected(p).expectPeer({}, { ns: 'x' }, false) }],
  },
  {
    name: 'should allow ingress access from updated namespace (label not yet added)',
    pods: ['x/a', 'y/a'],
    ports: [80],
    policies: `{apiVersion: networking.k8s.io/v1, kind: NetworkPolicy, metadata: {name: allow-client-a-via-ns-selector, namespace: x}, spec: {podSelector: {matchLabels: {pod: a}}, policyTypes: [Ingress], ingress: [{from: [{namespaceSelector: {matchLabels: {ns2: updated}}}]}]}}`,
    probes: [{ port: 80, expected: (p) => new Expected(p).allIngress('x/a', false) }],
  },
  {
    name: 'should allow ingress access from updated namespace (after label ns2=updated is added to y)',
    pods: ['x/a', 'y/a'],
    ports: [80],
    // The update is the namespace label; the Namespace object below replaces the model's y.
    policies: `{apiVersion: v1, kind: Namespace, metadata: {name: y, labels: {ns: y, ns2: updated}}}
---
{apiVersion: networking.k8s.io/v1, kind: NetworkPolicy, metadata: {name: allow-client-a-via-ns-selector, namespace: x}, spec: {podSelector: {matchLabels: {pod: a}}, policyTypes: [Ingress], ingress: [{from: [{namespaceSelector: {matchLabels: {ns2: updated}}}]}]}}`,
    probes: [{ port: 80, expected: (p) => new Expected(p).allIngress('x/a', false).expectPeer({ ns: 'y' }, {}, true) }],
  },
  {
    name: 'should allow ingress access from updated pod (after x/b gets pod2=updated)',
    pods: ['x/a', 'x/b'],
    ports: [80],
    policies: `{apiVersion: v1, kind: Pod, metadata: {name: b, namespace: x, labels: {pod: b, pod2: updated}}, spec: {containers: [{name: cont-80-tcp, image: agnhost, ports: [{containerPort: 80, name: serve-80-tcp, protocol: TCP}]}]}, status: {phase: Running, podIP: 10.0.1.2}}
---
{apiVersion: networking.k8s.io/v1, kind: NetworkPolicy, metadata: {name: allow-client-a-via-pod-selector, namespace: x}, spec: {podSelector: {matchLabels: {pod: a}}, policyTypes: [Ingress], ingress: [{from: [{podSelector: {matchLabels: {pod: b, pod2: updated}}}]}]}}`,
    probes: [{ port: 80, expected: (p) => new Expected(p).allIngress('x/a', false).expect('x/b', 'x/a', true) }],
  },
  {
    name: 'should deny ingress access to updated pod (after x/a gets target=isolated)',
    pods: ['x/a', 'y/a'],
    ports: [80],
    policies: `{apiVersion: v1, kind: Pod, metadata: {name: a, namespace: x, labels: {pod: a, target: isolated}}, spec: {containers: [{name: cont-80-tcp, image: agnhost, ports: [{containerPort: 80, name: serve-80-tcp, protocol: TCP}]}]}, status: {phase: Running, podIP: 10.0.1.1}}
---
{apiVersion: networking.k8s.io/v1, kind: NetworkPolicy, metadata: {name: deny-ingress-via-label-selector, namespace: x}, spec: {podSelector: {matchLabels: {target: isolated}}, policyTypes: [Ingress], ingress: []}}`,
    probes: [{ port: 80, expected: (p) => new Expected(p).allIngress('x/a', false) }],
  },
  {
    name: 'should enforce multiple egress policies with egress allow-all policy taking precedence (after allow-all)',
    pods: ['x/a', 'y/a'],
    ports: [81],
    policies: `{apiVersion: networking.k8s.io/v1, kind: NetworkPolicy, metadata: {name: allow-egress-port-80, namespace: x}, spec: {podSelector: {matchLabels: {}}, policyTypes: [Egress], egress: [{ports: [{port: 80}]}]}}
---
{apiVersion: networking.k8s.io/v1, kind: NetworkPolicy, metadata: {name: allow-egress, namespace: x}, spec: {podSelector: {matchLabels: {}}, policyTypes: [Egress], egress: [{}]}}`,
    probes: [{ port: 81, expected: allAllowed }],
  },
  {
    name: 'should enforce ingress policy allowing any port traffic to a server on a specific protocol (SCTP probe)',
    pods: ['x/a', 'y/a'],
    ports: [80],
    protocols: ['TCP', 'SCTP'],
    policies: `{apiVersion: networking.k8s.io/v1, kind: NetworkPolicy, metadata: {name: allow-ingress-by-proto, namespace: x}, spec: {podSelector: {matchLabels: {pod: a}}, policyTypes: [Ingress], ingress: [{ports: [{protocol: TCP}]}]}}`,
    probes: [{ port: 80, protocol: 'SCTP', expected: (p) => new Expected(p).expectPeer({}, { ns: 'x', pod: 'a' }, false) }],
  },
  {
    name: 'should deny ingress from pods on other namespaces',
    pods: ['x/a', 'x/b', 'y/a', 'z/a'],
    ports: [80],
    policies: `{apiVersion: networking.k8s.io/v1, kind: NetworkPolicy, metadata: {name: deny-empty-policy, namespace: x}, spec: {podSelector: {}, policyTypes: [Ingress], ingress: [{from: [{podSelector: {matchLabels: {}}}]}]}}`,
    probes: [{ port: 80, expected: (p) => new Expected(p).expectPeer({ ns: 'y' }, { ns: 'x' }, false).expectPeer({ ns: 'z' }, { ns: 'x' }, false) }],
  },
  {
    name: 'should deny ingress access to updated pod (before the label is added)',
    pods: ['x/a', 'y/a'],
    ports: [80],
    policies: `{apiVersion: networking.k8s.io/v1, kind: NetworkPolicy, metadata: {name: deny-ingress-via-label-selector, namespace: x}, spec: {podSelector: {matchLabels: {target: isolated}}, policyTypes: [Ingress], ingress: []}}`,
    probes: [{ port: 80, expected: allAllowed }],
  },
  {
    name: 'should deny egress from pods based on PodSelector',
    pods: ['x/a', 'x/b', 'y/a'],
    ports: [80],
    policies: `{apiVersion: networking.k8s.io/v1, kind: NetworkPolicy, metadata: {name: deny-egress-pod-a, namespace: x}, spec: {podSelector: {matchLabels: {pod: a}}, policyTypes: [Egress], egress: []}}`,
    probes: [{ port: 80, expected: (p) => new Expected(p).allEgress('x/a', false) }],
  },
  {
    name: 'should deny egress from all pods in a namespace',
    pods: ['x/a', 'x/b', 'y/a'],
    ports: [80],
    policies: `{apiVersion: networking.k8s.io/v1, kind: NetworkPolicy, metadata: {name: deny-egress-ns-x, namespace: x}, spec: {podSelector: {}, policyTypes: [Egress], egress: []}}`,
    probes: [{ port: 80, expected: (p) => new Expected(p).expectPeer({ ns: 'x' }, {}, false) }],
  },
  {
    name: 'should work with Ingress, Egress specified together',
    pods: ['x/a', 'x/b', 'x/c', 'y/a'],
    ports: [80, 81],
    policies: `{apiVersion: networking.k8s.io/v1, kind: NetworkPolicy, metadata: {name: allow-client-a-via-pod-selector, namespace: x}, spec: {podSelector: {matchLabels: {pod: a}}, policyTypes: [Egress, Ingress], ingress: [{from: [{podSelector: {matchLabels: {pod: b}}}]}], egress: [{ports: [{port: 80}]}]}}`,
    probes: [
      { port: 80, expected: (p) => new Expected(p).allIngress('x/a', false).expect('x/b', 'x/a', true) },
      { port: 81, expected: (p) => new Expected(p).allIngress('x/a', false).allEgress('x/a', false).expect('x/b', 'x/a', true) },
    ],
  },
  {
    name: 'should support denying of egress traffic on the client side (even if the server explicitly allows this traffic)',
    pods: ['x/a', 'y/a', 'y/b'],
    ports: [80],
    policies: `{apiVersion: networking.k8s.io/v1, kind: NetworkPolicy, metadata: {name: allow-to-ns-y-pod-a, namespace: x}, spec: {podSelector: {matchLabels: {pod: a}}, policyTypes: [Egress], egress: [{to: [{namespaceSelector: {matchLabels: {kubernetes.io/metadata.name: y}}, podSelector: {matchLabels: {pod: a}}}]}]}}
---
{apiVersion: networking.k8s.io/v1, kind: NetworkPolicy, metadata: {name: allow-from-xa-on-ya-match-selector, namespace: y}, spec: {podSelector: {matchLabels: {pod: a}}, policyTypes: [Ingress], ingress: [{from: [{namespaceSelector: {matchLabels: {kubernetes.io/metadata.name: x}}, podSelector: {matchLabels: {pod: a}}}]}]}}
---
{apiVersion: networking.k8s.io/v1, kind: NetworkPolicy, metadata: {name: allow-from-xa-on-yb-match-selector, namespace: y}, spec: {podSelector: {matchLabels: {pod: b}}, policyTypes: [Ingress], ingress: [{from: [{namespaceSelector: {matchLabels: {kubernetes.io/metadata.name: x}}, podSelector: {matchLabels: {pod: a}}}]}]}}`,
    probes: [{
      port: 80,
      expected: (p) => new Expected(p).expectPeer({ ns: 'x', pod: 'a' }, {}, false).expectPeer({}, { ns: 'y', pod: 'a' }, false).expectPeer({ ns: 'x', pod: 'a' }, { ns: 'y', pod: 'a' }, true).expectPeer({}, { ns: 'y', pod: 'b' }, false),
    }],
  },
  {
    name: 'should enforce egress policy allowing traffic to a server in a different namespace based on PodSelector and NamespaceSelector',
    pods: ['x/a', 'y/a', 'y/b'],
    ports: [80],
    policies: `{apiVersion: networking.k8s.io/v1, kind: NetworkPolicy, metadata: {name: allow-to-ns-y-pod-a, namespace: x}, spec: {podSelector: {matchLabels: {pod: a}}, policyTypes: [Egress], egress: [{to: [{namespaceSelector: {matchLabels: {kubernetes.io/metadata.name: y}}, podSelector: {matchLabels: {pod: a}}}]}]}}`,
    probes: [{ port: 80, expected: (p) => new Expected(p).allEgress('x/a', false).expect('x/a', 'y/a', true) }],
  },
  {
    name: 'should enforce ingress policy allowing any port traffic to a server on a specific protocol',
    pods: ['x/a', 'y/a'],
    ports: [80],
    protocols: ['TCP', 'UDP'],
    policies: `{apiVersion: networking.k8s.io/v1, kind: NetworkPolicy, metadata: {name: allow-ingress-by-proto, namespace: x}, spec: {podSelector: {matchLabels: {pod: a}}, policyTypes: [Ingress], ingress: [{ports: [{protocol: TCP}]}]}}`,
    probes: [
      { port: 80, protocol: 'TCP', expected: allAllowed },
      { port: 80, protocol: 'UDP', expected: (p) => new Expected(p).expectPeer({}, { ns: 'x', pod: 'a' }, false) },
    ],
  },
  {
    name: 'should enforce multiple ingress policies with ingress allow-all policy taking precedence',
    pods: ['x/a', 'y/a'],
    ports: [81],
    policies: `{apiVersion: networking.k8s.io/v1, kind: NetworkPolicy, metadata: {name: allow-ingress-port-80, namespace: x}, spec: {podSelector: {matchLabels: {}}, policyTypes: [Ingress], ingress: [{ports: [{port: 80}]}]}}
---
{apiVersion: networking.k8s.io/v1, kind: NetworkPolicy, metadata: {name: allow-ingress, namespace: x}, spec: {podSelector: {matchLabels: {}}, policyTypes: [Ingress], ingress: [{}]}}`,
    probes: [{ port: 81, expected: allAllowed }],
  },
  {
    name: 'should enforce multiple egress policies with egress allow-all policy taking precedence (before allow-all)',
    pods: ['x/a', 'y/a'],
    ports: [81],
    policies: `{apiVersion: networking.k8s.io/v1, kind: NetworkPolicy, metadata: {name: allow-egress-port-80, namespace: x}, spec: {podSelector: {matchLabels: {}}, policyTypes: [Egress], egress: [{ports: [{port: 80}]}]}}`,
    probes: [{ port: 81, expected: (p) => new Expected(p).expectPeer({ ns: 'x' }, {}, false) }],
  },
  {
    name: 'should allow egress access to server in CIDR block',
    pods: ['x/a', 'y/a', 'y/b'],
    ports: [80],
    policies: `{apiVersion: networking.k8s.io/v1, kind: NetworkPolicy, metadata: {name: allow-client-a-via-cidr-egress-rule, namespace: x}, spec: {podSelector: {matchLabels: {pod: a}}, policyTypes: [Egress], egress: [{to: [{ipBlock: {cidr: 10.0.2.2/32}}]}]}}`,
    probes: [{ port: 80, expected: (p) => new Expected(p).allEgress('x/a', false).expect('x/a', 'y/b', true) }],
  },
  {
    name: 'should enforce except clause while egress access to server in CIDR block',
    pods: ['x/a', 'x/b', 'x/c'],
    ports: [80],
    // makeLargeCIDRForIP(10.0.1.2) is the /4 holding it: 0.0.0.0/4.
    policies: `{apiVersion: networking.k8s.io/v1, kind: NetworkPolicy, metadata: {name: allow-client-a-via-cidr-egress-rule, namespace: x}, spec: {podSelector: {matchLabels: {pod: a}}, policyTypes: [Egress], egress: [{to: [{ipBlock: {cidr: 0.0.0.0/4, except: [10.0.1.2/32]}}]}]}}`,
    probes: [{ port: 80, expected: (p) => new Expected(p).expect('x/a', 'x/b', false) }],
  },
  {
    name: 'should ensure an IP overlapping both IPBlock.CIDR and IPBlock.Except is allowed (after the update)',
    pods: ['x/a', 'x/b', 'x/c'],
    ports: [80],
    policies: `{apiVersion: networking.k8s.io/v1, kind: NetworkPolicy, metadata: {name: allow-client-a-via-cidr-egress-rule, namespace: x}, spec: {podSelector: {matchLabels: {pod: a}}, policyTypes: [Egress], egress: [{to: [{ipBlock: {cidr: 10.0.1.2/32}}]}]}}`,
    probes: [{ port: 80, expected: (p) => new Expected(p).allEgress('x/a', false).expect('x/a', 'x/b', true) }],
  },
  {
    name: 'should enforce policies to check ingress and egress policies can be controlled independently based on PodSelector',
    pods: ['x/a', 'x/b', 'y/a'],
    ports: [80],
    policies: `{apiVersion: networking.k8s.io/v1, kind: NetworkPolicy, metadata: {name: allow-egress-for-target, namespace: x}, spec: {podSelector: {matchLabels: {pod: a}}, policyTypes: [Egress], egress: [{}]}}
---
{apiVersion: networking.k8s.io/v1, kind: NetworkPolicy, metadata: {name: deny-ingress-via-label-selector, namespace: x}, spec: {podSelector: {matchLabels: {pod: a}}, policyTypes: [Ingress], ingress: []}}`,
    probes: [{ port: 80, expected: (p) => new Expected(p).allIngress('x/a', false) }],
  },
  {
    name: "should not mistakenly treat 'protocol: SCTP' as 'protocol: TCP', even if the plugin doesn't support SCTP",
    pods: ['x/a', 'y/a'],
    ports: [81],
    policies: `{apiVersion: networking.k8s.io/v1, kind: NetworkPolicy, metadata: {name: deny-ingress, namespace: x}, spec: {podSelector: {}, policyTypes: [Ingress], ingress: []}}
---
{apiVersion: networking.k8s.io/v1, kind: NetworkPolicy, metadata: {name: allow-only-sctp-ingress-on-port-81, namespace: x}, spec: {podSelector: {matchLabels: {pod: a}}, policyTypes: [Ingress], ingress: [{ports: [{port: 81, protocol: SCTP}]}]}}`,
    probes: [{ port: 81, expected: (p) => new Expected(p).expectPeer({}, { ns: 'x' }, false) }],
  },
  {
    name: "should properly isolate pods that are selected by a policy allowing SCTP, even if the plugin doesn't support SCTP",
    pods: ['x/a', 'y/a'],
    ports: [81],
    policies: `{apiVersion: networking.k8s.io/v1, kind: NetworkPolicy, metadata: {name: allow-only-sctp-ingress-on-port-80, namespace: x}, spec: {podSelector: {matchLabels: {pod: a}}, policyTypes: [Ingress], ingress: [{ports: [{port: 80, protocol: SCTP}]}]}}`,
    probes: [{ port: 81, expected: (p) => new Expected(p).allIngress('x/a', false) }],
  },
  {
    name: 'should not allow access by TCP when a policy specifies only UDP',
    pods: ['x/a', 'y/a'],
    ports: [81],
    policies: `{apiVersion: networking.k8s.io/v1, kind: NetworkPolicy, metadata: {name: allow-only-udp-ingress-on-port-81, namespace: x}, spec: {podSelector: {matchLabels: {pod: a}}, policyTypes: [Ingress], ingress: [{ports: [{port: 81, protocol: UDP}]}]}}`,
    probes: [{ port: 81, expected: (p) => new Expected(p).allIngress('x/a', false) }],
  },
  {
    name: 'should enforce policy based on NamespaceSelector with MatchExpressions using default ns label',
    pods: ['x/a', 'x/b', 'y/a', 'z/a'],
    ports: [80],
    policies: `{apiVersion: networking.k8s.io/v1, kind: NetworkPolicy, metadata: {name: allow-ns-y-match-selector-for-immutable-ns-label, namespace: x}, spec: {podSelector: {matchLabels: {pod: a}}, policyTypes: [Egress], egress: [{to: [{namespaceSelector: {matchExpressions: [{key: kubernetes.io/metadata.name, operator: NotIn, values: [y]}]}}]}]}}`,
    probes: [{ port: 80, expected: (p) => new Expected(p).expectPeer({ ns: 'x', pod: 'a' }, { ns: 'y' }, false) }],
  },
  {
    name: 'UDP: should enforce policy based on Ports',
    pods: ['x/a', 'x/b', 'y/a', 'z/a'],
    ports: [81],
    protocols: ['UDP'],
    policies: `{apiVersion: networking.k8s.io/v1, kind: NetworkPolicy, metadata: {name: allow-ingress-on-port-81-ns-x, namespace: x}, spec: {podSelector: {matchLabels: {pod: a}}, policyTypes: [Ingress], ingress: [{from: [{namespaceSelector: {matchLabels: {ns: y}}}], ports: [{port: 81, protocol: UDP}]}]}}`,
    probes: [{ port: 81, protocol: 'UDP', expected: (p) => new Expected(p).expectPeer({ ns: 'x' }, { ns: 'x', pod: 'a' }, false).expectPeer({ ns: 'z' }, { ns: 'x', pod: 'a' }, false) }],
  },
  {
    name: 'SCTP: should enforce policy to allow traffic only from a pod in a different namespace based on PodSelector and NamespaceSelector',
    pods: ['x/a', 'x/b', 'y/a'],
    ports: [80],
    protocols: ['SCTP'],
    policies: `{apiVersion: networking.k8s.io/v1, kind: NetworkPolicy, metadata: {name: allow-ns-y-pod-a-via-namespace-pod-selector, namespace: x}, spec: {podSelector: {matchLabels: {pod: a}}, policyTypes: [Ingress], ingress: [{from: [{namespaceSelector: {matchLabels: {ns: y}}, podSelector: {matchLabels: {pod: a}}}]}]}}`,
    probes: [{ port: 80, protocol: 'SCTP', expected: (p) => new Expected(p).allIngress('x/a', false).expect('y/a', 'x/a', true) }],
  },
];

describe('upstream e2e NetworkPolicy cases', () => {
  for (const c of CASES) {
    it(c.name, () => {
      const yaml = `${e2eCluster(c.pods, c.ports, c.protocols)}\n---\n${c.policies}`;
      for (const probe of c.probes) {
        assert.deepEqual(mismatches(yaml, probe.expected(c.pods), probe.port, probe.protocol ?? 'TCP'), []);
      }
    });
  }

  it('with no policy every pair is allowed (the baseline every case departs from)', () => {
    const pods = ['x/a', 'x/b', 'y/a', 'z/c'];
    assert.deepEqual(mismatches(e2eCluster(pods, [80]), new Expected(pods), 80), []);
  });

  it('a wrong expectation is reported (the comparison can fail)', () => {
    const pods = ['x/a', 'y/a'];
    const yaml = `${e2eCluster(pods, [80])}\n---\n${CASES[0]!.policies}`;
    assert.equal(mismatches(yaml, new Expected(pods), 80).length, 1);
  });
});
