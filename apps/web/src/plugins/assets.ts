import fastifyStatic from '@fastify/static';
import fp from 'fastify-plugin';
import { ASSETS_PREFIX } from '../views/assets.js';

/** Serves the build's content-hashed assets; a hashed name never changes content, so cache a year. */
export default fp(
  async function assetsPlugin(app, opts: { assetsDir: string }) {
    await app.register(fastifyStatic, {
      root: opts.assetsDir,
      prefix: ASSETS_PREFIX,
      decorateReply: false,
      index: false,
      cacheControl: false,
      setHeaders: (reply) => reply.header('cache-control', 'public, max-age=31536000, immutable'),
      allowedPath: (path) => path !== '/manifest.json',
    });
  },
  { name: 'assets' },
);
