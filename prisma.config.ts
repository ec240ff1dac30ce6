// Prisma CLI configuration (Prisma 7 reads the datasource URL from here, not the schema).
import { defineConfig } from 'prisma/config';

export default defineConfig({
  schema: 'prisma/schema.prisma',
  migrations: { path: 'prisma/migrations' },
  datasource: { url: process.env.LABDOCK_DATABASE_URL || 'file:./var/labdock.db' },
});
