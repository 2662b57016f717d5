/** A command's work with the application context open, closed again however it ends (sealing the ledger). */
import { openAppContext, type AppContext } from '../app-context.ts';
import { loadConfig } from '../config.ts';

export async function withContext<T>(run: (ctx: AppContext) => Promise<T>): Promise<T> {
  const ctx = await openAppContext(loadConfig());
  try {
    return await run(ctx);
  } finally {
    await ctx.close();
  }
}
