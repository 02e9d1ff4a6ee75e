# The production image of the service (issue 32; docs/operations.md "Container image").
# Build stage: every dependency, then `npm run build` (Prisma client, dist/, the console bundle).
FROM node:20-bookworm-slim AS build
WORKDIR /app
COPY package.json package-lock.json ./
RUN npm ci
COPY . .
RUN npm run build

# Runtime stage: production dependencies only, the build output, the migrations; a non-root user.
FROM node:20-bookworm-slim AS runtime
ENV NODE_ENV=production PORT=3000
WORKDIR /app
COPY package.json package-lock.json ./
RUN npm ci --omit=dev && npm cache clean --force
COPY --from=build /app/dist ./dist
COPY --from=build /app/prisma ./prisma
USER node
EXPOSE 3000
# liveness of the process (no curl in the slim image: Node's fetch); readiness is /health/ready
HEALTHCHECK --interval=10s --timeout=3s --start-period=30s --retries=3 \
  CMD ["node", "-e", "fetch('http://127.0.0.1:'+(process.env.PORT||3000)+'/health/live').then(r=>process.exit(r.ok?0:1),()=>process.exit(1))"]
# node itself as PID 1 receives docker stop's SIGTERM (npm would not forward it); the service drains
# and exits within 10 s (docs/operations.md "Stopping"); compose gives it 15 s before SIGKILL.
CMD ["node", "dist/main.js"]
