// The config engine's API: where each component runs and its effective settings with origins.

export { COMPONENTS, findComponent, parseCommandLineFlags, type Component, type ComponentInstance } from './command-line.js';
export { findReferencedFile, type ReferencedFile } from './referenced-files.js';
export { describeOrigin, locationOf, type Origin, type Setting } from './origin.js';
export { componentRuns, hostOfFile, type ComponentRun } from './runs.js';
export {
  apiServerSettings, controllerManagerSettings, enabledAdmissionPlugins, etcdEnvName, etcdSettings, flagSettings,
  schedulerSettings, settingsOf, type AdmissionPlugins, type ComponentSettings,
} from './settings.js';
export { CONFIGZ_ANNOTATION, kubeletSettings, type KubeletSettings } from './kubelet.js';
export { kubeProxySettings, type KubeProxySettings } from './kube-proxy.js';
export { INSECURE_CIPHER_SUITES, cipherSuiteKey, defaultOnAdmissionPlugins } from './defaults.js';
