import type { Metadata, Viewport } from 'next';
import Link from 'next/link';
import '@xterm/xterm/css/xterm.css';
import './globals.css';

export const metadata: Metadata = {
  title: 'labdock',
  description: 'Hands-on labs with live terminals into sandboxed nodes',
};

export const viewport: Viewport = { themeColor: '#161b22' };

export default function RootLayout({ children }: { children: React.ReactNode }) {
  return (
    <html lang="en">
      <body>
        {/* Every page's <main> carries id="main": keyboard users skip the header with the first Tab. */}
        <a className="skip-link" href="#main">Skip to content</a>
        <header className="topbar">
          <Link href="/" className="brand">labdock</Link>
          <span className="tagline">hands-on labs, real terminals</span>
        </header>
        {children}
      </body>
    </html>
  );
}
