// Checks of section kernel-modules. Each check is one module beside this file; list it here.
import type { Check } from '../types.js';
import riskyKernelModuleNotBlocked from './risky-kernel-module-not-blocked.js';
import riskyKernelModuleLoaded from './risky-kernel-module-loaded.js';
import containerCanLoadKernelModules from './container-can-load-kernel-modules.js';

export const checks: Check[] = [riskyKernelModuleNotBlocked, riskyKernelModuleLoaded, containerCanLoadKernelModules];
