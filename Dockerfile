# Hydrant's production image. The build stage has the dev dependencies and the tool chain sqlite3 needs to
# build its native module; the runtime stage has only Node, the compiled program and the production
# dependencies, and runs as an unprivileged user. Its steps are deploy/build-production.sh's, which
# scripts/production-check.sh (run by CI, where Docker is not) runs on a clean clone.
#   docker build -t hydrant .
#   docker run -e SECRETS_SYSTEM=… -p 4444:4444 -v hydrant:/var/lib/hydrant hydrant

FROM node:20-bookworm AS build
WORKDIR /app
# Dependencies first, so that this layer is rebuilt only when the lock file changes.
COPY package.json package-lock.json ./
COPY deploy/build-production.sh deploy/
RUN deploy/build-production.sh deps
COPY tsconfig.json tsconfig.build.json nest-cli.json ./
COPY bin bin
COPY libs libs
COPY apps apps
RUN deploy/build-production.sh build

# Same Debian release as the build stage: the native sqlite3 module is linked against its glibc.
FROM node:20-bookworm-slim
ENV NODE_ENV=production \
    DSN=sqlite:///var/lib/hydrant/hydrant.sqlite
RUN useradd --system --uid 10001 --user-group --home-dir /var/lib/hydrant --create-home --shell /usr/sbin/nologin hydrant \
 && chmod 0700 /var/lib/hydrant
WORKDIR /app
COPY --from=build /app/package.json ./
COPY --from=build /app/node_modules node_modules
COPY --from=build /app/bin bin
COPY --from=build /app/dist dist
USER hydrant
VOLUME /var/lib/hydrant
EXPOSE 4444 4445
# /health/alive does not touch the database; the image has no curl, Node does the request.
HEALTHCHECK --interval=15s --timeout=5s --start-period=20s --retries=3 \
  CMD ["node", "-e", "require('http').get({host:'127.0.0.1',port:process.env.SERVE_PUBLIC_PORT||4444,path:'/health/alive',timeout:4000},r=>process.exit(r.statusCode===200?0:1)).on('error',()=>process.exit(1)).on('timeout',()=>process.exit(1))"]
# `docker run IMAGE migrate up`, `… backup FILE`, `… secrets rotate` run the other commands.
ENTRYPOINT ["node", "/app/bin/hydrant.js"]
CMD ["serve", "all"]
