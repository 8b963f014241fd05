// Progress of a live scan on stderr: one line redrawn in place, only on a terminal.

import { escapeTerminal } from '../../report/terminal.js';
import type { ProgressEvent } from './index.js';

const BAR_WIDTH = 20;
/** Redraw at most this often, so a fast list does not flood the terminal. */
const REDRAW_MS = 100;

export interface ProgressRenderer {
  update(event: ProgressEvent): void;
  /** Clears the line; the report follows on stdout. */
  finish(): void;
}

/** A renderer writing to `stream`, or one that writes nothing when progress is not wanted. */
export function progressRenderer(stream: NodeJS.WriteStream, wanted: boolean): ProgressRenderer {
  if (!wanted || !stream.isTTY) return { update() {}, finish() {} };
  let last = 0;
  let drawn = false;
  return {
    update(event) {
      const now = Date.now();
      if (now - last < REDRAW_MS) return;
      last = now;
      const line = progressLine(event, stream.columns || 80);
      stream.write(`\r\u001b[2K${line}`);
      drawn = true;
    },
    finish() {
      if (drawn) stream.write('\r\u001b[2K');
    },
  };
}

/** "[#####.....] 12/35 types  41,200 objects  230 requests  pods 30,000  secrets 4,100", cut to the width. */
export function progressLine(event: ProgressEvent, columns: number): string {
  const done = event.types.filter((t) => t.done).length;
  const total = event.types.length;
  const filled = total === 0 ? BAR_WIDTH : Math.round((done / total) * BAR_WIDTH);
  const objects = event.types.reduce((n, t) => n + t.listed, 0);
  const busy = event.types.filter((t) => !t.done && t.listed > 0).map((t) => `${t.resource} ${t.listed.toLocaleString('en-US')}`);
  // Resource names come from the API server's discovery: escaped like every text output.
  const line = escapeTerminal(`[${'#'.repeat(filled)}${'.'.repeat(BAR_WIDTH - filled)}] ${done}/${total} types  ${objects.toLocaleString('en-US')} objects  ${event.requests} requests  ${busy.join('  ')}`);
  return line.length > columns - 1 ? line.slice(0, Math.max(0, columns - 1)) : line;
}
