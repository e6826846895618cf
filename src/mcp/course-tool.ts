import type { PipeTransform, Type } from '@nestjs/common';
import type { ToolAnnotations } from '@modelcontextprotocol/sdk/types.js';
import type { AuthenticatedStudent } from '../common/auth/index.js';
import type { PremiumFeature } from '../common/features/index.js';

/** Who calls a tool, and on which HTTP request. */
export type ToolCaller = {
  student: AuthenticatedStudent;
  requestId: string;
  /** Aborts when the client has gone (as on REST: a premium call nobody waits for takes no unit). */
  signal: AbortSignal;
  /** The feature flag's variant, for a tool gated by a feature. */
  variant?: string;
};

/** The validated arguments, split as the REST route takes them. */
export type ToolInput<P, Q, B> = { params: P; query: Q; body: B };

/**
 * One MCP tool: a REST route seen from an assistant. Its schemas are the route's (by operationId),
 * its arguments are validated with the route's DTOs, it calls the service method the controller
 * calls, and a premium tool passes the same gate first.
 */
export type CourseTool<P = unknown, Q = unknown, B = unknown, O = unknown> = {
  name: string;
  title: string;
  /** Written for a model: what it does, when to use it, what to do next. */
  description: string;
  /** The REST operation whose request and response schemas the tool has. */
  operationId: string;
  /** The DTO classes the REST route validates its path, query and body with. */
  dto?: { params?: Type<P>; query?: Type<Q>; body?: Type<B> };
  /** The pipes the route adds to a part after the global validation pipe (as in `@Body(SomePipe)`). */
  pipes?: { params?: readonly PipeTransform[]; query?: readonly PipeTransform[]; body?: readonly PipeTransform[] };
  annotations: ToolAnnotations;
  /** Premium tools: the subscription check, and the feature's flag when the route has one. */
  premium?: { feature?: PremiumFeature };
  run(input: ToolInput<P, Q, B>, caller: ToolCaller): Promise<O>;
  /** A short plain-text rendering of the answer, for clients that show text only. */
  text(output: O): string;
};

/** Keeps each tool's types together (its DTOs, its service's answer) in a list of mixed tools. */
export function courseTool<P = unknown, Q = unknown, B = unknown, O = unknown>(tool: CourseTool<P, Q, B, O>): CourseTool {
  return tool;
}

export const READ_ONLY: ToolAnnotations = { readOnlyHint: true, openWorldHint: false };
/** Records something (a quiz attempt, a submission) without changing or removing what exists. */
export const RECORDS: ToolAnnotations = { readOnlyHint: false, destructiveHint: false, idempotentHint: false, openWorldHint: false };
