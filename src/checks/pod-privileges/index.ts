// Checks of section pod-privileges. Each check is one module beside this file; list it here.
import type { Check } from '../types.js';

export const checks: Check[] = [];
