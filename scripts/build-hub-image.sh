#!/usr/bin/env bash
# `npm run image:hub`: builds the team hub's image, deploy/docker/Dockerfile, and tags it
# hubdeck/hub:<version> and hubdeck/hub:latest.
#
#   --online   from the public Node LTS image (node:20-bookworm-slim), as users build it
#   --offline  where no image registry is reachable (CI here): the same Dockerfile and layout, with
#              NODE_IMAGE a Debian rootfs carrying this machine's Node, and APP_IMAGE the app built
#              on this machine (its production dependencies, native modules built for this Node).
#   (default)  online if the Node image can be pulled, else offline.
set -euo pipefail
here=$(cd "$(dirname "$0")/.." && pwd)
cd "$here"
mode=${1:-auto}
version=$(node -p "require('./package.json').version")
node_version=$(node -p 'process.versions.node')
# Docker's classic builder (no buildx here) runs every stage; the Dockerfile skips what it must.
tags=(-t "hubdeck/hub:$version" -t hubdeck/hub:latest)

if [ "$mode" = auto ]; then
  if timeout 60 docker pull -q node:20-bookworm-slim >/dev/null 2>&1; then mode=--online; else mode=--offline; fi
fi

if [ "$mode" = --online ]; then
  docker build "${tags[@]}" -f deploy/docker/Dockerfile .
  echo "image: hubdeck/hub:$version (online build)"; exit 0
fi

# Offline: the base is the Debian rootfs the test images use, plus this machine's Node binary.
base=hubdeck-test/debian:bookworm
docker image inspect "$base" >/dev/null 2>&1 || bash scripts/build-test-images.sh
node_image="hubdeck-build/node:$node_version"
if ! docker image inspect "$node_image" >/dev/null 2>&1; then
  ctx=$(mktemp -d); cp "$(command -v node)" "$ctx/node"
  printf 'FROM %s\nCOPY node /usr/local/bin/node\n' "$base" | docker build -q -t "$node_image" -f - "$ctx" >/dev/null
  rm -rf "$ctx"
fi

# The app tree, as the Dockerfile's app-build stage makes it: built out/, bin/, production packages.
stage=$(mktemp -d -p /var/tmp hubdeck-app.XXXXXX)
trap 'rm -rf "$stage"' EXIT
npx electron-vite build --logLevel warn
mkdir -p "$stage/app"
cp -a package.json package-lock.json bin out "$stage/app/"
cp -a node_modules "$stage/app/node_modules"
(cd "$stage/app" && npm prune --omit=dev --no-audit --no-fund --ignore-scripts >/dev/null)
app_image="hubdeck-build/app:$version"
printf 'FROM scratch\nCOPY app /app\n' | docker build -q -t "$app_image" -f - "$stage" >/dev/null

docker build -q "${tags[@]}" --build-arg NODE_IMAGE="$node_image" --build-arg APP_IMAGE="$app_image" -f deploy/docker/Dockerfile . >/dev/null
echo "image: hubdeck/hub:$version (offline build, Node $node_version), $(docker image inspect -f '{{.Size}}' hubdeck/hub:latest | awk '{printf "%.0f MB", $1/1e6}')"
