/**
 * The bare route of `bench/lodge.ts`, in its own process: Fastify 5 with `POST /api/declarations`
 * validating the body against the declaration schema of the API (`DeclarationBody`) with the
 * server's own validator compiler, and answering 201 with a small JSON body. Nothing else: no
 * authentication, no database. Listens on a free loopback port and prints `listening <port>`.
 */
import Fastify from 'fastify';
import { DeclarationBody } from '../src/declarations/schema.ts';
import { validatorCompiler } from '../src/http/validator.ts';

const app = Fastify({ logger: false, ajv: { customOptions: { removeAdditional: false } } });
app.setValidatorCompiler(validatorCompiler);
let lodged = 0;
app.post('/api/declarations', { schema: { body: DeclarationBody } }, async (_request, reply) => {
  lodged++;
  return reply.code(201).send({ id: lodged, status: 'accepted' });
});
await app.listen({ port: 0, host: '127.0.0.1' });
const address = app.server.address();
if (address === null || typeof address === 'string') throw new Error('no port');
process.stdout.write(`listening ${address.port}\n`);
process.once('SIGTERM', () => void app.close().then(() => process.exit(0)));
