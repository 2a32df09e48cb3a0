// `npm run db:migrate`: apply migrations to DATABASE_URL (or the embedded database). Idempotent.
import { resolveDatabase } from "./_db";

const t0 = Date.now();
resolveDatabase({ migrate: true })
  .then(async (db) => {
    console.log(`Migrations applied in ${Date.now() - t0} ms.`);
    await db.stop();
  })
  .catch((e) => {
    console.error(e instanceof Error ? e.message : e);
    process.exit(1);
  });
