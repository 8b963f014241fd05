// defineCheck and the small result builders every check uses.

import { fieldLineOf } from '../inventory/field-lines.js';
import type { Item } from '../inventory/types.js';
import { subjectOf, type Check, type FailResult, type NotEvaluatedResult, type PassResult, type Subject } from './types.js';

const ID_PATTERN = /^[a-z0-9]+(-[a-z0-9]+)*$/;

export function defineCheck(check: Check): Check {
  if (!ID_PATTERN.test(check.id)) throw new Error(`check id "${check.id}" is not kebab-case`);
  return check;
}

function toSubject(target: Item | Subject): Subject {
  return 'object' in target ? subjectOf(target) : target;
}

export function pass(target: Item | Subject, extra: Omit<PassResult, 'status' | 'subject'> = {}): PassResult {
  return { status: 'pass', subject: toSubject(target), ...extra };
}

export function fail(
  target: Item | Subject,
  message: string,
  extra: Omit<FailResult, 'status' | 'subject' | 'message'> = {},
): FailResult {
  return { status: 'fail', subject: toSubject(target), message, ...extra };
}

export function notEvaluated(target: Item | Subject, reason: string, extra: Omit<NotEvaluatedResult, 'status' | 'subject' | 'reason'> = {}): NotEvaluatedResult {
  return { status: 'not-evaluated', subject: toSubject(target), reason, ...extra };
}

/** An object as a finding subject, located at the line of one of its fields when the source kept it. */
export function subjectAtField(item: Item, field?: string): Subject {
  const line = field === undefined ? undefined : fieldLineOf(item.object, field);
  return { ref: item.ref, location: line === undefined ? item.location : { file: item.location.file, line } };
}
