import { defineCheck, fail, pass } from '../define.js';
import { kubeconfigClusters } from './kubeconfig-skips-tls-verification.js';

export default defineCheck({
  id: 'kubeconfig-plain-http-server',
  section: 'api-tls',
  severity: 'high',
  title: 'kubeconfig talks to the API server over plain HTTP',
  docs: {
    what: 'Reports every cluster entry of a kubeconfig whose server is an http:// URL.',
    why: 'Requests and their bearer tokens travel in clear text; anyone on the path reads the credentials and replays them. An API server answering plain HTTP also means an insecure port or an unauthenticated proxy.',
    references: ['Securing a Cluster: Use Transport Layer Security (TLS) for all API traffic'],
  },
  remediation: `Point the kubeconfig at the API server's https endpoint with the cluster CA:

    server: https://10.0.0.10:6443
    certificate-authority-data: <base64 CA>`,
  *evaluate({ inventory }) {
    for (const item of inventory.ofKind('Config')) {
      for (const { cluster, field, line } of kubeconfigClusters(item)) {
        const subject = { ref: item.ref, location: line ? { file: item.location.file, line } : item.location };
        const server = cluster.cluster?.server ?? '';
        if (/^http:\/\//i.test(server)) yield fail(subject, `kubeconfig cluster "${cluster.name ?? '(unnamed)'}" uses plain HTTP server ${server}`, { field: `${field}.server` });
        else if (server) yield pass(subject);
      }
    }
  },
  examples: {
    fail: [`apiVersion: v1
kind: Config
clusters:
- name: local
  cluster: {server: "http://127.0.0.1:8080"}`],
    pass: [`apiVersion: v1
kind: Config
clusters:
- name: prod
  cluster: {server: "https://10.0.0.10:6443", certificate-authority-data: LS0tLS1CRUdJTg==}`],
  },
});
