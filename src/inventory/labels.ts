// Label selector semantics as in k8s.io/apimachinery (metav1.LabelSelectorAsSelector).

export interface LabelSelectorRequirement {
  key: string;
  operator: string;
  values?: string[];
}

export interface LabelSelector {
  matchLabels?: Record<string, string>;
  matchExpressions?: LabelSelectorRequirement[];
}

/**
 * Does `selector` select `labels`? An empty selector ({}) selects everything; a missing one
 * (undefined/null) selects nothing, as for NetworkPolicy peers and PodDisruptionBudgets.
 */
export function selectorMatches(
  selector: LabelSelector | null | undefined,
  labels: Record<string, string> | undefined,
): boolean {
  if (selector === null || selector === undefined) return false;
  const have = labels ?? {};
  for (const [key, value] of Object.entries(selector.matchLabels ?? {})) {
    if (have[key] !== value) return false;
  }
  for (const req of selector.matchExpressions ?? []) {
    const present = Object.prototype.hasOwnProperty.call(have, req.key);
    const values = req.values ?? [];
    switch (req.operator) {
      case 'In':
        if (!present || !values.includes(have[req.key]!)) return false;
        break;
      case 'NotIn':
        if (present && values.includes(have[req.key]!)) return false;
        break;
      case 'Exists':
        if (!present) return false;
        break;
      case 'DoesNotExist':
        if (present) return false;
        break;
      default:
        // An unknown operator makes the selector invalid; the API server would reject it.
        return false;
    }
  }
  return true;
}

/**
 * A selector with no requirements (missing, or `{}`): where a field constrains objects by it, it
 * constrains nothing (every pod, every namespace).
 */
export function isEmptySelector(selector: LabelSelector | null | undefined): boolean {
  return !selector || (Object.keys(selector.matchLabels ?? {}).length === 0 && (selector.matchExpressions ?? []).length === 0);
}

/**
 * A map-style selector (nodeSelector, Service.spec.selector): every pair must match, so an
 * empty or missing map matches everything. (A Service without selector selects no pods: its
 * callers check that case first.)
 */
export function mapSelectorMatches(
  selector: Record<string, string> | undefined,
  labels: Record<string, string> | undefined,
): boolean {
  return selectorMatches({ matchLabels: selector ?? {} }, labels);
}
