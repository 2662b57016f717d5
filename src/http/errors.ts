/**
 * The one place where error codes become HTTP statuses, and the one handler that writes
 * `{ error, message, details }`. Anything unknown becomes `internal_error` without internals.
 */
import type { FastifyError, FastifyReply, FastifyRequest } from 'fastify';
import { schemaRefusal } from './schema-problems.ts';

const statusByCode: Record<string, number> = {
  invalid_request: 400,
  malformed_json: 400,
  unauthenticated: 401,
  invalid_credentials: 401,
  forbidden: 403,
  not_authorized_for_trader: 403,
  not_found: 404,
  declaration_not_found: 404,
  user_not_found: 404,
  import_not_found: 404,
  token_not_found: 404,
  token_revoked: 409,
  no_classification_model: 409,
  classification_model_not_found: 404,
  user_disabled: 409,
  impersonation_refused: 403,
  invalid_token_request: 400,
  import_in_progress: 409,
  empty_file: 422,
  upload_interrupted: 400,
  functional_reference_conflict: 409,
  action_not_allowed: 409,
  version_conflict: 409,
  username_taken: 409,
  idempotency_key_reused: 422,
  body_too_large: 413,
  unsupported_media_type: 415,
  xml_malformed: 400,
  xml_doctype_refused: 400,
  xml_wrong_namespace: 400,
  xml_wrong_root: 400,
  xml_too_many_elements: 400,
  xml_too_deep: 400,
  xml_too_large: 413,
  validation_failed: 422,
  invalid_user: 422,
  invalid_control_result: 422,
  control_result_exists: 409,
  no_control_result: 409,
  invalid_assignee: 422,
  invalid_profile: 422,
  incomplete_profile: 400,
  profile_not_found: 404,
  not_assessed: 404,
  four_eyes: 403,
  invalid_retention: 422,
  retention_conflicts_with_hold: 409,
  invalid_hold: 422,
  invalid_office: 422,
  office_exists: 409,
  office_not_found: 404,
  already_held: 409,
  not_held: 409,
  archive_busy: 409,
  invalid_partner: 422,
  partner_not_found: 404,
  proposal_not_found: 404,
  exchange_not_configured: 409,
  wrong_receiver: 422,
  message_not_authenticated: 401,
  message_type_not_agreed: 403,
  agreement_not_in_force: 403,
  stale_timestamp: 401,
  unsupported_content_type: 422,
  unreadable_message: 422,
  proposal_changed: 409,
  message_id_reused: 409,
  outbox_message_not_found: 404,
  outbox_message_not_failed: 409,
  alert_not_found: 404,
  series_not_found: 404,
  monitoring_busy: 409,
  invalid_release: 400,
  release_not_found: 404,
  invalid_agency: 422,
  agency_exists: 409,
  agency_not_found: 404,
  invalid_agreement: 422,
  agreement_not_found: 404,
  agreement_changed: 409,
  document_not_found: 404,
  too_many_documents: 409,
  empty_document: 400,
  document_too_large: 413,
  too_many_requests: 429,
  service_unavailable: 503,
};

export class HttpError extends Error {
  constructor(
    readonly code: string,
    message: string,
    readonly details?: unknown,
  ) {
    super(message);
  }
}

export const statusOf = (code: string): number => statusByCode[code] ?? 500;

const defaultMessages: Record<string, string> = {
  declaration_not_found: 'no such declaration',
  not_found: 'no such resource',
  document_not_found: 'no such document',
};

/** Sends an expected error (a `{ code, ... }` value from a service). */
export function sendError(
  reply: FastifyReply,
  error: { code: string; message?: string } & Record<string, unknown>,
) {
  const { code, message, ...details } = error;
  return reply.status(statusOf(code)).send({
    error: code,
    message: message ?? defaultMessages[code] ?? code.replace(/_/g, ' '),
    ...(Object.keys(details).length ? { details } : {}),
  });
}

function fromFastify(error: FastifyError): HttpError | null {
  if (error.validation) {
    const { message, details } = schemaRefusal(error.validation, error.validationContext ?? 'request');
    return new HttpError('invalid_request', message, details);
  }
  switch (error.code) {
    case 'FST_ERR_CTP_INVALID_JSON_BODY':
    case 'FST_ERR_CTP_EMPTY_JSON_BODY':
      return new HttpError('malformed_json', `the body is not valid JSON: ${error.message}`);
    case 'FST_ERR_CTP_BODY_TOO_LARGE':
      return new HttpError(
        'body_too_large',
        'the body is larger than the server accepts (see CLEARWAY_BODY_LIMIT)',
      );
    case 'FST_ERR_CTP_INVALID_MEDIA_TYPE':
      return new HttpError('unsupported_media_type', 'send the body as application/json');
  }
  if (error instanceof SyntaxError && error.statusCode === 400)
    return new HttpError('malformed_json', `the body is not valid JSON: ${error.message}`);
  if (error.statusCode === 429) return new HttpError('too_many_requests', error.message);
  if (error.statusCode && error.statusCode >= 400 && error.statusCode < 500)
    return new HttpError('invalid_request', error.message);
  return null;
}

export function errorHandler(error: FastifyError, request: FastifyRequest, reply: FastifyReply) {
  const known: HttpError | null = error instanceof HttpError ? error : fromFastify(error);
  if (known) {
    return reply.status(statusOf(known.code)).send({
      error: known.code,
      message: known.message,
      ...(known.details ? { details: known.details } : {}),
    });
  }
  request.log.error({ err: error }, 'unhandled error');
  return reply
    .status(500)
    .send({ error: 'internal_error', message: 'an internal error occurred; it has been logged' });
}
