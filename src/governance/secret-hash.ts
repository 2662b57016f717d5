/**
 * The one digest of session and API token secrets: only it is stored, so a reader of the database
 * cannot act as anybody. Minting and checking must use the same function.
 */
import { createHash } from 'node:crypto';

export const secretHash = (secret: string): string => createHash('sha256').update(secret).digest('base64url');
