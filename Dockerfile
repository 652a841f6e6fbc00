# syntax=docker/dockerfile:1
# webhook-orchestrator: build with `docker build -t webhook-orchestrator .`
# The runtime image holds only production dependencies, the compiled dist/ and the
# streams/ definitions the service applies at start-up (STREAMS_DIR defaults to ./streams).

ARG NODE_IMAGE=node:20-bookworm-slim

# Production dependencies only, installed from the lockfile.
FROM ${NODE_IMAGE} AS deps
WORKDIR /app
COPY package.json package-lock.json ./
RUN npm ci --omit=dev --no-audit --no-fund && npm cache clean --force

# Full install (TypeScript and friends) to compile src/ to dist/.
FROM ${NODE_IMAGE} AS build
WORKDIR /app
COPY package.json package-lock.json ./
RUN npm ci --no-audit --no-fund
COPY tsconfig.json tsconfig.build.json ./
COPY src ./src
COPY scripts/build-console.ts ./scripts/
RUN npm run build

FROM ${NODE_IMAGE} AS runtime
ENV NODE_ENV=production \
    PORT=8000 \
    HEAP_MB=160
WORKDIR /app
# Files stay owned by root and read-only to the service user: nothing in /app is written at run time.
COPY --from=deps /app/node_modules ./node_modules
COPY --from=build /app/dist ./dist
COPY package.json ./
COPY streams ./streams
COPY scripts/start-service.sh ./scripts/start-service.sh
# Numeric uid of the image's `node` user, so Kubernetes' runAsNonRoot can verify it.
USER 1000:1000
EXPOSE 8000
# Slim images have no curl: probe liveness with Node's own fetch.
HEALTHCHECK --interval=15s --timeout=5s --start-period=60s --retries=3 \
  CMD ["node", "-e", "fetch('http://127.0.0.1:' + (process.env.PORT || 8000) + '/health/live').then((r) => process.exit(r.ok ? 0 : 1), () => process.exit(1))"]
# Node runs as PID 1: SIGTERM reaches the service's own handler, which drains and exits
# within SHUTDOWN_TIMEOUT_MS; no init process is needed as no child processes are spawned.
# The start command of npm start: node with the heap flags, HEAP_MB (MiB, default 160) sizing the
# old space, so the ConfigMap or `docker run -e HEAP_MB=640` can raise it with the memory limit.
# The script execs node, which so stays PID 1.
CMD ["sh", "scripts/start-service.sh"]
