# syntax=docker/dockerfile:1
# One image for every process type: build once (type-check, compile, generate the Prisma client,
# compile the UI's assets), then run `node apps/<type>/dist/main.js` or the release command.

FROM node:22-bookworm-slim AS build
WORKDIR /app
# Manifests first, so the dependency layer is rebuilt only when they change.
COPY package.json package-lock.json ./
COPY apps/web/package.json apps/web/
COPY apps/worker/package.json apps/worker/
COPY apps/clock/package.json apps/clock/
COPY packages/config/package.json packages/config/
COPY packages/db/package.json packages/db/
COPY packages/domain/package.json packages/domain/
COPY packages/logger/package.json packages/logger/
COPY packages/queue/package.json packages/queue/
COPY packages/redis/package.json packages/redis/
COPY packages/runtime/package.json packages/runtime/
# `npm install` honours the lockfile's pins; `npm ci` refuses it where a registry lacks other
# platforms' optional packages. Install scripts run only as package.json's allowScripts decides.
RUN npm install --no-audit --no-fund
COPY . .
RUN npx --no-install turbo run build && npm prune --omit=dev --no-audit --no-fund

FROM node:22-bookworm-slim
ENV NODE_ENV=production
WORKDIR /app
COPY --from=build /app/package.json /app/Procfile ./
COPY --from=build /app/node_modules ./node_modules
COPY --from=build /app/prisma ./prisma
COPY --from=build /app/packages ./packages
COPY --from=build /app/apps ./apps
# The official image's unprivileged user (uid 1000), as the Kubernetes manifests expect.
USER node
EXPOSE 3000
CMD ["node", "apps/web/dist/main.js"]
