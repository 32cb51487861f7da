# syntax=docker/dockerfile:1
# tollgate container image. Build: docker build -t tollgate:0.1.0 .
# Three stages: `build` compiles with the dev dependencies, `deps` installs the production
# dependencies only, the final stage holds dist/ + those node_modules and nothing else
# (no sources, no src/dev, no npm cache). Rules checked by test/unit/deploy/dockerfile.spec.ts.
#
# Pinned base: an exact Node 20 patch release on Debian bookworm (the version CI runs).
# For reproducible releases pin the digest too:
#   docker buildx imagetools inspect node:20.20.2-bookworm-slim   ->   node:20.20.2-bookworm-slim@sha256:...
ARG NODE_IMAGE=node:20.20.2-bookworm-slim

FROM ${NODE_IMAGE} AS build
WORKDIR /app
COPY package.json package-lock.json ./
RUN npm ci --no-audit --no-fund
COPY tsconfig.json tsconfig.build.json nest-cli.json ./
COPY src ./src
# tsconfig.build.json excludes src/dev (the local Redis launcher); fail if it ever leaks in.
RUN npm run build && test ! -e dist/dev

FROM ${NODE_IMAGE} AS deps
WORKDIR /app
COPY package.json package-lock.json ./
RUN npm ci --omit=dev --no-audit --no-fund && npm cache clean --force

FROM ${NODE_IMAGE} AS runtime
ENV NODE_ENV=production \
    HOST=0.0.0.0 \
    PORT=3000 \
    MANAGEMENT_PORT=9100 \
    NPM_CONFIG_UPDATE_NOTIFIER=false
WORKDIR /app
# Files stay owned by root and are only readable by the runtime user: the app writes
# nothing outside /tmp, so the root filesystem can be mounted read-only.
COPY --from=deps /app/node_modules ./node_modules
COPY --from=build /app/dist ./dist
COPY package.json ./
# The `node` user of the official image (uid/gid 1000), numeric so that Kubernetes'
# runAsNonRoot can check it.
USER 1000:1000
EXPOSE 3000 9100
# Nest's shutdown hooks handle SIGTERM: stop accepting connections, finish in-flight
# requests, close the Redis connections, exit. node runs as PID 1 (no shell, no npm).
STOPSIGNAL SIGTERM
HEALTHCHECK --interval=10s --timeout=5s --start-period=15s --retries=3 \
  CMD ["node", "dist/healthcheck.js"]
CMD ["node", "dist/main.js"]
