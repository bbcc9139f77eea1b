# tilegate: build with dev dependencies, run with production ones.
FROM node:20-bookworm-slim AS build
WORKDIR /app
COPY package.json package-lock.json ./
RUN npm ci --no-audit --no-fund
COPY . .
RUN npx nest build tilegate

FROM node:20-bookworm-slim
WORKDIR /app
ENV NODE_ENV=production
# glibc malloc as package.json's config.mallocEnv sets it (see the README's Performance section).
ENV MALLOC_ARENA_MAX=2 MALLOC_MMAP_THRESHOLD_=131072
COPY package.json package-lock.json ./
RUN npm ci --omit=dev --no-audit --no-fund
COPY --from=build /app/dist ./dist
USER node
EXPOSE 7800
# The node flags of package.json's config.nodeFlags (see the README's Performance section).
CMD ["node", "--max-semi-space-size=8", "--heap-growing-percent=25", "dist/apps/tilegate/apps/tilegate/src/main.js"]
