/** The Fastify application: plugins, error mapping, OpenAPI, and every feature's routes. */
import Fastify, { type FastifyInstance } from 'fastify';
import cookie from '@fastify/cookie';
import rateLimit from '@fastify/rate-limit';
import swagger from '@fastify/swagger';
import swaggerUi from '@fastify/swagger-ui';
import type { AppContext } from '../app-context.ts';
import { declarationRoutes } from '../declarations/routes.ts';
import { createDeclarationService } from '../declarations/service.ts';
import { uploadRoutes } from '../declarations/upload-routes.ts';
import { controlRoutes } from '../controls/routes.ts';
import { clearanceRoutes } from '../clearance/stage-routes.ts';
import { governanceRoutes } from '../governance/routes.ts';
import { userOfficeRoutes } from '../governance/user-office-routes.ts';
import { officeRoutes } from '../reference/office-routes.ts';
import { openReferenceSearch } from '../reference/reference-search.ts';
import { referenceSearchRoutes } from '../reference/search-routes.ts';
import { accessRoutes } from '../governance/access-routes.ts';
import { ledgerRoutes } from '../governance/ledger/routes.ts';
import { recordOfficialReads } from '../governance/ledger/read-log.ts';
import { loadOrCreateSigner, type LedgerSigner } from '../governance/ledger/signing.ts';
import { scheduleSigning } from '../governance/ledger/schedule.ts';
import { startSealer } from '../governance/ledger/seal.ts';
import { scheduleArchival } from '../governance/retention/schedule.ts';
import { retentionRoutes } from '../governance/retention/routes.ts';
import { exportRoutes } from '../governance/export-routes.ts';
import { feedRoutes } from '../sharing/feed-routes.ts';
import { transparencyRoutes } from '../sharing/transparency-routes.ts';
import { assessmentRoutes } from '../risk/assessment-routes.ts';
import { modelRoutes } from '../risk/model-routes.ts';
import { classificationRoutes } from '../classification/routes.ts';
import { performanceRoutes } from '../risk/performance-routes.ts';
import { webAppRoutes } from './web-app.ts';
import { exchangeRoutes } from '../exchange/routes.ts';
import { startSender } from '../exchange/sender.ts';
import { exchangePolicy } from '../exchange/endpoint.ts';
import { mirrorRoutes } from '../exchange/mirror-routes.ts';
import { findingRoutes } from '../sharing/findings-routes.ts';
import { startDocumentReader } from '../documents/reader.ts';
import { documentRoutes } from '../documents/routes.ts';
import { timesRoutes } from '../clearance/times-routes.ts';
import { mirrorReassessment } from '../risk/mirror-reassessment.ts';
import { documentReassessment } from '../risk/document-reassessment.ts';
import { priceRoutes } from '../risk/price-routes.ts';
import { profileRoutes } from '../risk/profiles/routes.ts';
import { qualityRoutes } from '../quality/routes.ts';
import { statsRoutes } from '../stats/routes.ts';
import { statsLabels } from '../stats/labels.ts';
import { monitoringRoutes } from '../monitoring/routes.ts';
import { openRoutes } from '../open-data/open-routes.ts';
import { releaseRoutes } from '../open-data/routes.ts';
import { scheduleMonitoring } from '../monitoring/schedule.ts';
import { agencyRoutes } from '../sharing/agency-routes.ts';
import { agreementRoutes } from '../sharing/agreement-routes.ts';
import { loadProcedureSet } from '../sharing/agreement-terms.ts';
import { webhookRoutes } from '../sharing/webhooks/routes.ts';
import { startWebhooks } from '../sharing/webhooks/schedule.ts';
import { roles } from '../governance/roles.ts';
import { authPlugin } from './auth.ts';
import { errorHandler, sendError } from './errors.ts';
import { Metrics, metricsPlugin } from './metrics.ts';
import { securityHeaders, swaggerUiCsp } from './security-headers.ts';
import { refuseUnstorableText } from './storable-text.ts';
import { systemRoutes } from './system-routes.ts';
import { validatorCompiler } from './validator.ts';

export interface AppOptions {
  logger?: boolean | { level: string };
}

export async function buildApp(ctx: AppContext, options: AppOptions = {}): Promise<FastifyInstance> {
  const trust = ctx.config.trustProxy;
  const app = Fastify({
    logger:
      options.logger === false
        ? false
        : { level: ctx.config.logLevel, redact: ['req.headers.authorization', 'req.headers.cookie'] },
    bodyLimit: ctx.config.bodyLimitBytes,
    // a number of proxies is trusted as hops (Fastify's types take it as a function)
    trustProxy: typeof trust === 'number' ? (_address: string, hop: number) => hop < trust : trust,
    ajv: { customOptions: { removeAdditional: false } },
    // a URL that does not decode is refused in the same shape as every other error
    frameworkErrors: (error, request, reply) => errorHandler(error, request, reply),
  });
  app.setValidatorCompiler(validatorCompiler);
  app.setErrorHandler(errorHandler);
  app.addHook('preValidation', refuseUnstorableText);
  app.setNotFoundHandler((request, reply) =>
    sendError(reply, {
      code: 'not_found',
      message: `no route ${request.method} ${request.url.split('?')[0]}`,
    }),
  );

  const metrics = new Metrics();
  await app.register(metricsPlugin, { metrics });
  await app.register(securityHeaders);
  await app.register(cookie);
  await app.register(rateLimit, { global: false });
  await app.register(swagger, {
    openapi: {
      openapi: '3.1.0',
      info: {
        title: 'Clearway API',
        version: '0.1.0',
        description:
          'Customs declarations, validation and governance. Authenticate with a session cookie (POST /api/auth/login) or an API token (Authorization: Bearer cw_...).',
      },
      components: {
        securitySchemes: {
          bearer: { type: 'http', scheme: 'bearer' },
          session: { type: 'apiKey', in: 'cookie', name: 'cw_session' },
        },
      },
      security: [{ bearer: [] }, { session: [] }],
    },
    // each operation names the roles that may call it (x-roles), or is public (no security)
    transform: ({ schema, url, route }) => ({
      schema: {
        ...schema,
        ...(route.config?.public
          ? { security: [] }
          : route.config?.signedByPartner
            ? { security: [], 'x-authentication': 'the signature of a registered partner administration' }
            : { 'x-roles': route.config?.roles ?? roles }),
      },
      url,
    }),
  });
  // no validator badge: it would load an image from validator.swagger.io, which the CSP refuses
  await app.register(swaggerUi, {
    routePrefix: '/api/docs',
    // the operations folded under their tags: unfolded, Swagger UI stops drawing past some 130 of them
    uiConfig: { docExpansion: 'none', validatorUrl: null },
    transformStaticCSP: swaggerUiCsp,
  });
  app.get('/api/openapi.json', { config: { public: true }, schema: { hide: true } }, async () =>
    app.swagger(),
  );
  await app.register(authPlugin, { db: ctx.db });

  const exchange = ctx.exchange;
  const service = createDeclarationService({
    db: ctx.db,
    validation: () => ctx.validation(),
    risk: ctx.risk,
    exchange: exchange.hook,
  });
  recordOfficialReads(app, ctx.db);
  let signer: Promise<LedgerSigner> | undefined;
  const ledgerSigner = () =>
    (signer ??= loadOrCreateSigner(ctx.config.ledgerKeyFile).catch((error: unknown) => {
      signer = undefined; // a key file fixed meanwhile is read at the next call
      throw error;
    }));
  await app.register(systemRoutes, { ctx, metrics });
  await app.register(governanceRoutes, {
    db: ctx.db,
    sessionTtlHours: ctx.config.sessionTtlHours,
    loginAttemptsPerMinute: ctx.config.loginAttemptsPerMinute,
    loginFailuresPerAccount: ctx.config.loginFailuresPerAccount,
    secureCookies: ctx.config.secureCookies,
  });
  await app.register(accessRoutes, { db: ctx.db, tokenLifetime: ctx.config.tokenLifetime });
  await app.register(declarationRoutes, { service, db: ctx.db });
  await app.register(uploadRoutes, { ctx });
  await app.register(userOfficeRoutes, { db: ctx.db });
  await app.register(officeRoutes, {
    db: ctx.db,
    reference: ctx.reference,
    changed: () => ctx.reloadOffices(),
  });
  await app.register(referenceSearchRoutes, {
    search: await openReferenceSearch(ctx.config.referenceDir, ctx.reference, () => ctx.offices()),
  });
  await app.register(priceRoutes, { ctx });
  await app.register(controlRoutes, { db: ctx.db });
  await app.register(clearanceRoutes, { db: ctx.db });
  const riskChanged = () => ctx.risk.invalidate();
  await app.register(modelRoutes, { db: ctx.db, changed: riskChanged });
  const classification = await ctx.classification();
  await app.register(classificationRoutes, {
    db: ctx.db,
    aid: classification,
    reference: ctx.reference,
    today: () => new Date().toISOString().slice(0, 10),
  });
  await app.register(profileRoutes, { db: ctx.db, changed: riskChanged });
  await app.register(assessmentRoutes, { db: ctx.db, risk: ctx.risk });
  await app.register(performanceRoutes, { db: ctx.db });
  await app.register(statsRoutes, { db: ctx.db, reference: ctx.reference, catalog: ctx.catalog });
  await app.register(qualityRoutes, { db: ctx.db, catalog: ctx.catalog });
  const monitoring = ctx.config.monitoring;
  await app.register(monitoringRoutes, {
    db: ctx.db,
    labels: statsLabels(ctx.reference, ctx.catalog),
    settings: monitoring,
  });
  if (monitoring.checkHours > 0) app.addHook('onClose', scheduleMonitoring(ctx.db, monitoring, app.log));
  await app.register(ledgerRoutes, { db: ctx.db, signer: ledgerSigner, copyDir: ctx.config.ledgerCopyDir });
  const stopSigning = scheduleSigning(
    ctx.db,
    ledgerSigner,
    {
      checkpointMs: ctx.config.ledgerCheckpointMinutes * 60_000,
      headMs: ctx.config.ledgerHeadSeconds * 1000,
      copyDir: ctx.config.ledgerCopyDir,
    },
    app.log,
  );
  app.addHook('onClose', stopSigning);
  // registered after the signing so that it stops first: what is pending is chained, then signed
  app.addHook('onClose', startSealer(ctx.db, app.log));
  await app.register(exportRoutes, { db: ctx.db, config: ctx.config });
  await app.register(feedRoutes, {
    db: ctx.db,
    config: ctx.config,
    today: () => new Date().toISOString().slice(0, 10),
  });
  await app.register(transparencyRoutes, { db: ctx.db });
  await app.register(retentionRoutes, { db: ctx.db, archiveDir: ctx.config.archiveDir });
  if (ctx.config.archiveHours > 0) {
    const stop = scheduleArchival(
      ctx.db,
      ctx.config.archiveDir,
      ctx.config.archiveHours * 3_600_000,
      app.log,
    );
    app.addHook('onClose', stop);
  }
  await app.register(exchangeRoutes, {
    db: ctx.db,
    identity: exchange.identity,
    clockSkewSeconds: ctx.config.exchangeClockSkewSeconds,
    policy: exchangePolicy(ctx.config),
    partnersChanged: () => exchange.partners.reload(),
    matching: { settings: exchange.mirror, ...mirrorReassessment(ctx.risk) },
  });
  await app.register(mirrorRoutes, { db: ctx.db, today: () => new Date().toISOString().slice(0, 10) });
  await app.register(findingRoutes, { db: ctx.db });
  await app.register(documentRoutes, { db: ctx.db });
  if (ctx.config.documentReading)
    app.addHook(
      'onClose',
      startDocumentReader(
        {
          db: ctx.db,
          reassess: documentReassessment(ctx.risk),
          descriptionCodes: () => classification,
        },
        app.log,
      ),
    );
  await app.register(timesRoutes, { ctx, today: () => new Date().toISOString().slice(0, 10) });
  await app.register(releaseRoutes, {
    db: ctx.db,
    signer: exchange.identity.signer,
    agency: exchange.identity.administration ?? 'CLEARWAY',
  });
  await app.register(openRoutes, { db: ctx.db });
  await app.register(agencyRoutes, { db: ctx.db });
  await app.register(agreementRoutes, {
    db: ctx.db,
    catalog: ctx.catalog,
    reference: ctx.reference,
    procedures: await loadProcedureSet(ctx.config.referenceDir),
    policy: exchangePolicy(ctx.config),
    today: () => new Date().toISOString().slice(0, 10),
  });
  app.addHook(
    'onClose',
    startSender(
      ctx.db,
      exchange.identity,
      {
        retrySeconds: ctx.config.exchangeRetrySeconds,
        maxAttempts: ctx.config.exchangeMaxAttempts,
        policy: exchangePolicy(ctx.config),
      },
      app.log,
    ),
  );
  await app.register(webhookRoutes, { db: ctx.db });
  app.addHook('onClose', startWebhooks(ctx.db, ctx.config, app.log));
  await app.register(webAppRoutes);
  return app;
}
