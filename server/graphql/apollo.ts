/**
 * Apollo Server with the API's hardening: armor's depth, alias, directive and cost
 * limits (depth set for this schema's real nesting), token limits through the parser
 * (armor's token plugin turns malformed queries into HTTP 500s), CSRF prevention, and
 * no introspection or field suggestions in production.
 */
import { ApolloServer, type ApolloServerPlugin } from '@apollo/server';
import {
  ApolloServerPluginCacheControlDisabled,
  ApolloServerPluginLandingPageDisabled,
} from '@apollo/server/plugin/disabled';
import { ApolloServerPluginDrainHttpServer } from '@apollo/server/plugin/drainHttpServer';
import { ApolloArmor } from '@escape.tech/graphql-armor';
import type { Server } from 'node:http';
import type { Logger } from '../log.ts';
import type { GraphQLContext } from './context.ts';
import { formatError } from './format-error.ts';
import { rootFieldBudget } from './limits/root-field-budget.ts';
import { resolvers } from './resolvers.ts';
import { loadTypeDefs } from './schema.ts';

/** Deepest legitimate query: school → current → priorityGroups → group is 4; flags pages 3. */
export const LIMITS = {
  maxDepth: 7,
  maxAliases: 15,
  maxDirectives: 10,
  maxCost: 20000,
  maxTokens: 4000,
  /** Root fields that query the warehouse, per operation (see root-field-budget.ts). */
  maxRootFields: 8,
} as const;

export interface ApolloOptions {
  production: boolean;
  development: boolean;
  log: Logger;
  httpServer?: Server;
}

export function createApollo(options: ApolloOptions): ApolloServer<GraphQLContext> {
  const armor = new ApolloArmor({
    maxDepth: { n: LIMITS.maxDepth, ignoreIntrospection: true, flattenFragments: true },
    maxAliases: { n: LIMITS.maxAliases },
    maxDirectives: { n: LIMITS.maxDirectives },
    costLimit: { maxCost: LIMITS.maxCost, ignoreIntrospection: true },
    maxTokens: { enabled: false },
    blockFieldSuggestion: { enabled: options.production },
  });
  const protection = armor.protect();
  const plugins: ApolloServerPlugin<GraphQLContext>[] = [
    ...(protection.plugins as ApolloServerPlugin<GraphQLContext>[]),
    // Every answer is per user and never cached by HTTP; the plugin costs ~1.5 ms a request.
    ApolloServerPluginCacheControlDisabled(),
  ];
  // Apollo serves an HTML landing page (loading from its CDN) on GET /graphql unless told
  // not to: only a developer's server shows it.
  if (!options.development) plugins.push(ApolloServerPluginLandingPageDisabled());
  if (options.httpServer)
    plugins.push(ApolloServerPluginDrainHttpServer({ httpServer: options.httpServer }));
  return new ApolloServer<GraphQLContext>({
    typeDefs: loadTypeDefs(),
    resolvers,
    plugins,
    validationRules: [...protection.validationRules, rootFieldBudget(LIMITS.maxRootFields)],
    allowBatchedHttpRequests: false,
    // serve.ts owns shutdown (drain HTTP, then the writer, then DuckDB); Apollo must not re-signal.
    stopOnTerminationSignals: false,
    csrfPrevention: true,
    introspection: !options.production,
    hideSchemaDetailsFromClientErrors: options.production,
    includeStacktraceInErrorResponses: options.development,
    parseOptions: { maxTokens: LIMITS.maxTokens },
    formatError: (formatted, error) =>
      formatError(formatted, error, { development: options.development, log: options.log }),
  });
}
