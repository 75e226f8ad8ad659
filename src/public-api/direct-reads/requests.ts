/**
 * Anonymous GraphQL requests that direct reads answer, answered before Strapi's router. Of an
 * uncached search's time on the node's thread, most went to the path to the resolver, not to it:
 * the router matching every route of the admin and the content API, the route's handlers, Strapi's
 * request context, the session, Apollo's request pipeline and its plugins. A request whose query
 * text Apollo has already parsed, validated and seen answered by direct reads (./index) is
 * answered here, with the same steps that decide anything for it: the GraphQL route's body parser
 * and limits, Strapi's authentication of the content API, the query limits' check of the
 * operation with these variables (src/edge/query-limits) and direct reads themselves, on Apollo's
 * schema; then the answer as Apollo writes it. Anything else passes on untouched, and so does a
 * request any of those steps refuses or direct reads decline: Apollo answers it in its own words.
 * tests/direct-reads.test.ts compares the answers (status, headers, body) with Apollo's.
 * `performance.directRequests` (GRAPHQL_DIRECT_REQUESTS=false) switches it off.
 */
import type { Core } from '@strapi/strapi';
import { getOperationAST } from 'graphql';
import { directAnswerer } from './index';
import { graphqlBodyParser } from '../../edge/response-cache';
import { graphqlMediaType } from '../../edge/response-cache/core';
import { operationLimits } from '../../edge/query-limits';

/** The fields of a GraphQL request body this path knows: with any other (a persisted query's `extensions`), Apollo answers. */
const BODY_FIELDS = new Set(['query', 'variables', 'operationName']);

const isPlainObject = (value: unknown): value is Record<string, unknown> =>
  typeof value === 'object' && value !== null && !Array.isArray(value);

/** The request's query, variables and operation name when it is a plain GraphQL request this path may answer. */
function plainRequest(body: unknown) {
  if (!isPlainObject(body) || Object.keys(body).some((field) => !BODY_FIELDS.has(field))) return undefined;
  const { query, variables, operationName } = body;
  if (typeof query !== 'string' || (variables != null && !isPlainObject(variables))) return undefined;
  if (operationName != null && typeof operationName !== 'string') return undefined;
  return {
    query,
    variables: (variables ?? undefined) as Record<string, unknown> | undefined,
    operationName: (operationName ?? undefined) as string | undefined,
  };
}

export function directRequests(strapi: Core.Strapi) {
  // Off with direct reads too: a node compared with stock Strapi (the benchmark) then parses and authenticates nothing here.
  const enabled = () =>
    (strapi.config.get('performance.directRequests', true) as boolean) !== false &&
    (strapi.config.get('performance.directReads', true) as boolean) !== false;
  const endpoint = String(strapi.config.get('plugin::graphql.endpoint', '/graphql'));
  const parseBody = graphqlBodyParser(strapi);
  const admit = operationLimits((strapi.config.get('plugin::graphql.apolloServer.plugins') as unknown[] | undefined) ?? []);

  return async function directRequest(ctx: any, next: () => Promise<unknown>): Promise<unknown> {
    const answerer = directAnswerer(strapi);
    const schema = answerer?.schema;
    // Without the query limits' check, a way around them: then Apollo answers every request.
    if (
      !admit ||
      !answerer ||
      !schema ||
      ctx.method !== 'POST' ||
      ctx.path !== endpoint ||
      !enabled() ||
      ctx.get('authorization') ||
      !ctx.is('application/json')
    )
      return next();
    const type = graphqlMediaType((types) => ctx.accepts(types));
    if (!type) return next();
    // The route's own parser (a body already parsed, by the response cache, is kept): the route then skips it.
    return parseBody(ctx, async () => {
      const asked = plainRequest(ctx.request.body);
      const document = asked && answerer.documents.get(asked.query);
      const operation = document && getOperationAST(document, asked.operationName);
      if (!operation) return next();
      // Strapi's GraphQL route: a content API caller, authenticated (anonymous: the public role) by Strapi.
      ctx.state.route = { info: { type: 'content-api' } };
      return strapi.auth.authenticate(ctx, async () => {
        const contextValue = { state: ctx.state, koaContext: ctx };
        try {
          admit(schema, document, operation, asked.variables, contextValue);
        } catch {
          return next();
        }
        const data = await answerer.answer({ schema, document, operation, ...asked, contextValue });
        if (!data) return next();
        answerer.stats.requests += 1;
        // As Apollo writes a query's answer (its cache-control plugin: no hints, so not stored).
        ctx.status = 200;
        ctx.set('Cache-Control', 'no-store');
        ctx.type = `${type}; charset=utf-8`;
        ctx.body = `${JSON.stringify({ data })}\n`;
      });
    });
  };
}
