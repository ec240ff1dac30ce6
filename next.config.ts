import type { NextConfig } from 'next';

const config: NextConfig = {
  poweredByHeader: false,
  reactStrictMode: true,
  // Server-side runtime code runs in the custom server's process (runtime/server.ts); never bundle natives.
  serverExternalPackages: ['dockerode', 'docker-modem', 'ssh2', 'cpu-features', 'node-pty', 'better-sqlite3', 'mdx-bundler', 'esbuild', '@prisma/client', '@prisma/adapter-better-sqlite3'],
  typescript: { tsconfigPath: './tsconfig.json' },
  async headers() {
    return [{
      source: '/:path*',
      headers: [
        { key: 'X-Content-Type-Options', value: 'nosniff' },
        { key: 'X-Frame-Options', value: 'DENY' },
        { key: 'Referrer-Policy', value: 'same-origin' },
      ],
    }];
  },
};

export default config;
