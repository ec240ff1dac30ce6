import type { NextConfig } from 'next';

/**
 * Content Security Policy for every page. 'unsafe-inline' scripts: Next's App
 * Router streams inline bootstrap scripts; 'unsafe-eval': mdx-bundler's
 * getMDXComponent evaluates the compiled lab with `new Function`. Everything
 * else is locked to our own origin ('self' covers same-origin ws:/wss: for the
 * terminal WebSocket), with no framing, plugins or foreign form targets.
 */
const csp = [
  "default-src 'self'",
  "script-src 'self' 'unsafe-inline' 'unsafe-eval'",
  // xterm.js's DOM renderer and React style props write inline styles.
  "style-src 'self' 'unsafe-inline'",
  "img-src 'self' data: blob:",
  "font-src 'self' data:",
  "connect-src 'self'",
  "object-src 'none'",
  "base-uri 'self'",
  "form-action 'self'",
  "frame-ancestors 'none'",
].join('; ');

const config: NextConfig = {
  poweredByHeader: false,
  reactStrictMode: true,
  // Server-side runtime code runs in the custom server's process (runtime/server.ts): never bundle native or heavy modules.
  serverExternalPackages: [
    'dockerode', 'docker-modem', 'ssh2', 'cpu-features', 'node-pty', 'better-sqlite3',
    'mdx-bundler', 'esbuild', '@prisma/client', '@prisma/adapter-better-sqlite3',
  ],
  typescript: { tsconfigPath: './tsconfig.json' },
  async headers() {
    return [{
      source: '/:path*',
      headers: [
        { key: 'Content-Security-Policy', value: csp },
        { key: 'X-Content-Type-Options', value: 'nosniff' },
        { key: 'X-Frame-Options', value: 'DENY' },
        { key: 'Referrer-Policy', value: 'same-origin' },
        // The terminal reads the clipboard for right-click paste; nothing needs camera, microphone or location.
        { key: 'Permissions-Policy', value: 'clipboard-read=(self), clipboard-write=(self), camera=(), microphone=(), geolocation=()' },
        { key: 'Cross-Origin-Opener-Policy', value: 'same-origin' },
      ],
    }];
  },
};

export default config;
