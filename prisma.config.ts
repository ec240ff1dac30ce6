// Prisma CLI configuration (Prisma 7 reads the datasource URL from here, not the schema).
// One data model (prisma/schema.prisma); for a PostgreSQL URL the CLI uses the PostgreSQL copy that
// `npm run db:generate` writes and the PostgreSQL migrations, so `prisma migrate deploy` works for both
// wherever Prisma's schema engine exists (labdock itself applies migrations with prisma/migrate.ts).
import { defineConfig } from 'prisma/config';

const url = process.env.LABDOCK_DATABASE_URL || process.env.DATABASE_URL || 'file:./var/labdock.db';
const postgres = /^postgres(ql)?:\/\//.test(url);

export default defineConfig({
  schema: postgres ? 'generated/postgresql/schema.prisma' : 'prisma/schema.prisma',
  migrations: { path: postgres ? 'prisma/migrations-postgresql' : 'prisma/migrations' },
  datasource: { url },
});
