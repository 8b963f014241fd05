// Checks of section feature-stages. Each check is one module beside this file; list it here.
import type { Check } from '../types.js';
import allAlphaFeatureGatesEnabled from './all-alpha-feature-gates-enabled.js';
import alphaFeatureGateEnabled from './alpha-feature-gate-enabled.js';
import betaFeatureGateEnabled from './beta-feature-gate-enabled.js';
import alphaApiEnabled from './alpha-api-enabled.js';
import betaApiEnabled from './beta-api-enabled.js';

export const checks: Check[] = [allAlphaFeatureGatesEnabled, alphaFeatureGateEnabled, betaFeatureGateEnabled, alphaApiEnabled, betaApiEnabled];
