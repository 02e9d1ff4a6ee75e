import { createParamDecorator, type ExecutionContext } from '@nestjs/common';
import type { FastifyRequest } from 'fastify';
import { invalidField } from '../common/problem';

// Conditional requests (RFC 9110 §8.8.3, §13.1.1, §13.1.2). A ticket's entity tag is its version, strong.
export interface EntityTag {
  weak: boolean;
  opaque: string;
}
export type TagList = '*' | EntityTag[];

const TAG = /^(W\/)?"([\x21\x23-\x7e\x80-\xff]*)"$/;

export const ticketEtag = (version: number): string => `"${version}"`;

/** `*` or a comma-separated list of entity tags; undefined when any element is not one. */
export function parseTagList(header: string): TagList | undefined {
  if (header.trim() === '*') return '*';
  const tags: EntityTag[] = [];
  for (const element of header.split(',').map((e) => e.trim()).filter((e) => e !== '')) {
    const match = TAG.exec(element);
    if (!match) return undefined;
    tags.push({ weak: match[1] !== undefined, opaque: match[2] });
  }
  return tags.length ? tags : undefined;
}

/**
 * If-Match as a list of tags. A bare version number (`If-Match: 3`, as API.md writes it) is the strong
 * tag "3"; anything else that is not `*` or entity tags is 400.
 */
export function parseIfMatch(header: string | undefined): TagList | undefined {
  if (header === undefined) return undefined;
  if (/^\s*\d+\s*$/.test(header)) return [{ weak: false, opaque: header.trim() }];
  const tags = parseTagList(header);
  if (!tags) throw invalidField('If-Match', 'If-Match must be *, or entity tags such as "3" (the ticket version)');
  return tags;
}

/**
 * The request's If-Match, parsed at the edge: `undefined` when absent, else the tags (a malformed
 * header is 400 before the handler runs). Services take the parsed condition, never the header.
 */
export const IfMatch = createParamDecorator((_: unknown, context: ExecutionContext): TagList | undefined => {
  const header = context.switchToHttp().getRequest<FastifyRequest>().headers['if-match'];
  return parseIfMatch(Array.isArray(header) ? header.join(', ') : header);
});

/** The request's If-None-Match as a test of the current entity tag (false when absent or malformed). */
export type NotModifiedTest = (current: string) => boolean;
export const IfNoneMatch = createParamDecorator((_: unknown, context: ExecutionContext): NotModifiedTest => {
  const header = context.switchToHttp().getRequest<FastifyRequest>().headers['if-none-match'];
  return (current) => ifNoneMatchMatches(Array.isArray(header) ? header.join(', ') : header, current);
});

/** §13.1.1: `*` passes on an existing resource; otherwise some tag must match the current one by strong comparison. */
export function ifMatchPasses(condition: TagList, current: string): boolean {
  if (condition === '*') return true;
  const now = parseTagList(current);
  if (!now || now === '*') return false;
  return condition.some((tag) => !tag.weak && !now[0].weak && tag.opaque === now[0].opaque);
}

/** §13.1.2: the condition matches (so the answer is 304) when any tag equals the current one by weak comparison. */
export function ifNoneMatchMatches(header: string | undefined, current: string): boolean {
  if (header === undefined) return false;
  // a dashboard's poll sends back the one tag it was given: equal to a well-formed current tag, it matches
  if (header === current && TAG.test(current)) return true;
  const condition = parseTagList(header);
  if (!condition) return false; // a malformed If-None-Match is ignored: the full answer is always correct
  if (condition === '*') return true;
  const now = parseTagList(current);
  if (!now || now === '*') return false;
  return condition.some((tag) => tag.opaque === now[0].opaque);
}
