// Lines of individual fields inside an object read from a file, so a finding can point at the
// line of `readOnlyPort: 10255` rather than at the top of the document. Sources that keep the
// text (the node-root reader) attach them; objects without them fall back to the document line.

const FIELD_LINES = Symbol('kubeward.fieldLines');

type WithFieldLines = { [FIELD_LINES]?: ReadonlyMap<string, number> };

/** Field paths use dots and [i] indices: "spec.containers[0].command[3]". */
export function attachFieldLines(object: object, lines: ReadonlyMap<string, number>): void {
  Object.defineProperty(object, FIELD_LINES, { value: lines, enumerable: false });
}

export function fieldLineOf(object: object, path: string): number | undefined {
  return fieldLinesOf(object)?.get(path);
}

/** All field lines of an object, if its source attached them. */
export function fieldLinesOf(object: object): ReadonlyMap<string, number> | undefined {
  return (object as WithFieldLines)[FIELD_LINES];
}
