# kubeward's image: the packed npm package with its production dependencies on Node 20 (Alpine).
#
#   docker build -t REGISTRY/kubeward:$(node -p "require('./package.json').version") .
#   docker push REGISTRY/kubeward:VERSION
#   kubeward install --image REGISTRY/kubeward:VERSION | kubectl apply -f -
#
# Runs as the numeric user 65532 (the manifests' runAsUser; no passwd entry needed) and writes
# nothing at run time, so it works with readOnlyRootFilesystem. Pin the bases by digest in your
# registry mirror if your policy asks for it (FROM node:20.19-alpine3.21@sha256:...).

FROM node:20.19-alpine3.21 AS build
WORKDIR /src
COPY package.json package-lock.json tsconfig.json ./
COPY bin bin
COPY src src
COPY test test
COPY bench bench
COPY data data
COPY deploy deploy
COPY schema schema
# npm ci runs "prepare" (tsc); npm pack keeps only what package.json "files" ships.
RUN npm ci --no-audit --no-fund \
 && npm pack --pack-destination /tmp \
 && mkdir -p /opt/kubeward \
 && npm install --prefix /opt/kubeward --omit=dev --no-audit --no-fund /tmp/kubeward-*.tgz

FROM node:20.19-alpine3.21
# The image needs node only: npm and yarn are left out of what runs in the cluster.
RUN rm -rf /usr/local/lib/node_modules/npm /usr/local/bin/npm /usr/local/bin/npx /opt/yarn* /usr/local/bin/yarn /usr/local/bin/yarnpkg
COPY --from=build /opt/kubeward /opt/kubeward
ENV NODE_ENV=production
USER 65532:65532
ENTRYPOINT ["node", "/opt/kubeward/node_modules/kubeward/bin/kubeward.js"]
CMD ["--help"]
