/**
 * Security headers on every response (@fastify/helmet): a strict Content-Security-Policy (scripts,
 * styles and everything else from this origin only, no inline script, never framed), nosniff,
 * no referrer, and `Cache-Control: no-store` on whatever does not set its own caching (every API
 * response: they carry data behind a sign-in). The web application and the Swagger UI at /api/docs
 * both run under this policy (neither has an inline script); the Swagger UI's pages allow inline styles.
 */
import type { FastifyInstance } from 'fastify';
import fp from 'fastify-plugin';
import helmet from '@fastify/helmet';

export const contentSecurityPolicy = {
  useDefaults: false,
  directives: {
    defaultSrc: ["'self'"],
    baseUri: ["'self'"],
    connectSrc: ["'self'"],
    fontSrc: ["'self'"],
    formAction: ["'self'"],
    frameAncestors: ["'none'"],
    imgSrc: ["'self'", 'data:'],
    objectSrc: ["'none'"],
    scriptSrc: ["'self'"],
    scriptSrcAttr: ["'none'"],
    styleSrc: ["'self'"],
    // charts write tooltip markup with style attributes; styles cannot run code
    styleSrcAttr: ["'unsafe-inline'"],
  },
};

/**
 * The Swagger UI at /api/docs writes a <style> element of its own: its pages allow inline styles.
 * Scripts stay as strict as everywhere else.
 */
export const swaggerUiCsp = (header: string): string =>
  header.replace(/style-src 'self'(?=;|$)/, "style-src 'self' 'unsafe-inline'");

export const securityHeaders = fp(async (app: FastifyInstance) => {
  await app.register(helmet, {
    contentSecurityPolicy,
    frameguard: { action: 'deny' },
    referrerPolicy: { policy: 'no-referrer' },
    // browsers heed it only over HTTPS; without includeSubDomains, other sites of the domain are left alone
    strictTransportSecurity: { maxAge: 15_552_000, includeSubDomains: false },
  });
  app.addHook('onSend', async (_request, reply, payload) => {
    if (!reply.hasHeader('cache-control')) reply.header('cache-control', 'no-store');
    return payload;
  });
});
