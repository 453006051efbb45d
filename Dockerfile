# One image for all four services; docker-compose.yml picks the service by command.
FROM node:20-bookworm-slim AS build
WORKDIR /app
COPY package.json package-lock.json ./
RUN npm ci --ignore-scripts
COPY . .
RUN npm run build && npm prune --omit=dev --ignore-scripts

FROM node:20-bookworm-slim
WORKDIR /app
# The heap cap .env.example explains.
ENV NODE_ENV=production BIND_HOST=0.0.0.0 NODE_OPTIONS=--max-old-space-size=160
COPY --from=build /app/package.json ./
COPY --from=build /app/node_modules ./node_modules
COPY --from=build /app/dist ./dist
USER node
CMD ["node", "dist/apps/desk/src/main.js"]
