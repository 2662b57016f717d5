/**
 * Exchange messages and their signatures (ADR 0023): a detached JWS (RFC 7515, appendix F) with
 * EdDSA (RFC 8037) over the exact payload bytes. The protected header carries the message's id,
 * sender, receiver, type and timestamp, so they are signed with the payload; the envelope repeats
 * them in the clear and the receiver checks that both agree.
 */
import { createPublicKey, verify, type KeyObject } from 'node:crypto';
import type { LedgerSigner } from '../governance/ledger/signing.ts';

export const MessageType = { ExportDeclaration: 'export_declarations' } as const;
export type MessageType = (typeof MessageType)[keyof typeof MessageType];
export const messageTypes: readonly MessageType[] = Object.values(MessageType);

/** What travels to the partner's inbox. `payload` is base64 of the exact bytes signed. */
export interface Envelope {
  id: string;
  sender: string;
  receiver: string;
  type: string;
  /** When it was signed (ISO 8601 UTC); the receiver refuses it outside its clock window. */
  timestamp: string;
  contentType: string;
  payload: string;
  /** The detached JWS in compact form: `protected..signature` (base64url, empty payload part). */
  signature: string;
}

export interface MessageFields {
  id: string;
  sender: string;
  receiver: string;
  type: string;
  timestamp: string;
  contentType: string;
}

interface ProtectedHeader {
  alg: 'EdDSA';
  kid: string;
  cty: string;
  'cw-id': string;
  'cw-sender': string;
  'cw-receiver': string;
  'cw-type': string;
  'cw-timestamp': string;
}

const b64url = (bytes: Buffer) => bytes.toString('base64url');

/** Signs `payload` with the sender's Ed25519 exchange key: the envelope to post. */
export function signMessage(fields: MessageFields, payload: Buffer, signer: LedgerSigner): Envelope {
  const header: ProtectedHeader = {
    alg: 'EdDSA',
    kid: signer.keyId,
    cty: fields.contentType,
    'cw-id': fields.id,
    'cw-sender': fields.sender,
    'cw-receiver': fields.receiver,
    'cw-type': fields.type,
    'cw-timestamp': fields.timestamp,
  };
  const protectedPart = b64url(Buffer.from(JSON.stringify(header)));
  const signingInput = Buffer.from(`${protectedPart}.${b64url(payload)}`);
  const signature = b64url(Buffer.from(signer.sign(signingInput), 'base64'));
  return { ...fields, payload: payload.toString('base64'), signature: `${protectedPart}..${signature}` };
}

export type SignatureProblem = 'malformed_signature' | 'bad_signature' | 'envelope_mismatch';

/**
 * Verifies a detached JWS (`protected..signature`, alg EdDSA) over `payload` with a public key
 * (PEM): its protected header when it verifies, else what is wrong.
 */
export function verifyDetachedJws(
  jws: string,
  payload: Buffer,
  publicKeyPem: string,
): { ok: true; header: Record<string, unknown> } | { ok: false; problem: SignatureProblem } {
  const parts = jws.split('.');
  if (parts.length !== 3 || parts[1] !== '' || !parts[0] || !parts[2])
    return { ok: false, problem: 'malformed_signature' };
  const [protectedPart, , signature] = parts as [string, string, string];
  let header: unknown;
  try {
    header = JSON.parse(Buffer.from(protectedPart, 'base64url').toString('utf8'));
  } catch {
    return { ok: false, problem: 'malformed_signature' };
  }
  if (typeof header !== 'object' || header === null || !('alg' in header) || header.alg !== 'EdDSA')
    return { ok: false, problem: 'malformed_signature' };
  let key: KeyObject;
  try {
    key = createPublicKey(publicKeyPem);
  } catch {
    return { ok: false, problem: 'bad_signature' };
  }
  if (key.asymmetricKeyType !== 'ed25519') return { ok: false, problem: 'bad_signature' };
  const signingInput = Buffer.from(`${protectedPart}.${b64url(payload)}`);
  if (!verify(null, signingInput, key, Buffer.from(signature, 'base64url')))
    return { ok: false, problem: 'bad_signature' };
  return { ok: true, header: header as Record<string, unknown> };
}

/**
 * Checks the envelope's signature with the sender's public key (PEM) over the payload bytes, and
 * that the signed header names the same message as the envelope. Returns null when all holds.
 */
export function checkSignature(envelope: Envelope, publicKeyPem: string): SignatureProblem | null {
  const verified = verifyDetachedJws(
    envelope.signature,
    Buffer.from(envelope.payload, 'base64'),
    publicKeyPem,
  );
  if (!verified.ok) return verified.problem;
  const header = verified.header;
  const same =
    header['cw-id'] === envelope.id &&
    header['cw-sender'] === envelope.sender &&
    header['cw-receiver'] === envelope.receiver &&
    header['cw-type'] === envelope.type &&
    header['cw-timestamp'] === envelope.timestamp &&
    header.cty === envelope.contentType;
  return same ? null : 'envelope_mismatch';
}
