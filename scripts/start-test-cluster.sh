#!/usr/bin/env bash
# A real single-node Kubernetes 1.20 cluster for the Kubernetes engine's tests (docs/architecture.md "Real components in tests").
#
#   scripts/start-test-cluster.sh build    build the binaries from Debian's `kubernetes` source
#                                          package (once per machine, ~10 min on 2 cores; cached)
#   scripts/start-test-cluster.sh kubectl …  the cached kubectl with the admin kubeconfig
#   scripts/start-test-cluster.sh start    build if needed, then start etcd, kube-apiserver,
#                                          kube-scheduler, kube-controller-manager, a kubelet on
#                                          the local dockerd and kube-proxy (Services); prints the
#                                          admin kubeconfig path
#   scripts/start-test-cluster.sh stop     stop all of it, remove the pods' containers and state
#   scripts/start-test-cluster.sh status   exit 0 and print the kubeconfig path when the cluster answers
#
# Debian ships no Kubernetes binaries, but its source package (vendored) builds with Debian's Go.
# Everything listens on 127.0.0.1 but the API server, which pods reach on the node's docker0 address
# (the hub in the cluster uses its in-cluster config); credentials are random per start, 0600.
# Idempotent (start on a running cluster does nothing) and loud: any failure exits non-zero with
# the relevant log lines, because Kubernetes-backed tests must never skip.
set -euo pipefail

K8S_VERSION=1.20.2
CACHE=${HUBDECK_K8S_CACHE:-/var/cache/hubdeck-k8s/$K8S_VERSION}
BIN=$CACHE/bin
STATE=${HUBDECK_K8S_STATE:-/var/lib/hubdeck-k8s}
KUBECONFIG_OUT=$STATE/admin.kubeconfig
ETCD_PORT=${HUBDECK_K8S_ETCD_PORT:-23791}
API_PORT=${HUBDECK_K8S_API_PORT:-16443}
COMPONENTS=(kube-apiserver kubelet kube-scheduler kube-controller-manager kubectl kube-proxy)
PAUSE_IMAGE=k8s.gcr.io/pause:3.2

say() { echo "k8s: $*"; }
die() { echo "k8s: $*" >&2; exit 1; }

# ---------------------------------------------------------------------------------------- build
have_binaries() {
  local c
  for c in "${COMPONENTS[@]}" pause; do [ -x "$BIN/$c" ] || return 1; done
}

build_deps() {
  local src=/etc/apt/sources.list.d/hubdeck-deb-src.sources
  if ! grep -rqs '^Types:.*deb-src' /etc/apt/sources.list.d/ && ! grep -qs '^deb-src' /etc/apt/sources.list; then
    say "adding a deb-src line for bookworm ($src)"
    cat >"$src" <<'EOF'
Types: deb-src
URIs: http://deb.debian.org/debian
Suites: bookworm
Components: main
Signed-By: /usr/share/keyrings/debian-archive-keyring.gpg
EOF
  fi
  apt-get update -q >/dev/null
  DEBIAN_FRONTEND=noninteractive apt-get install -y -q --no-install-recommends \
    dpkg-dev golang-go rsync jq etcd-server golang-github-modern-go-reflect2-dev socat gcc libc6-dev \
    make util-linux openssl curl >/dev/null
}

# Patches a one-line constant and fails when the line is not there (a changed source must not
# build a kubelet that then dies on oom_score_adj at run time).
patch_const() {
  local file=$1 from=$2 to=$3
  if grep -qF "$to" "$file"; then return 0; fi
  grep -qF "$from" "$file" || die "patch: '$from' not found in $file"
  sed -i "s/$from/$to/" "$file"
  grep -qF "$to" "$file" || die "patch: '$to' not applied to $file"
}

build() {
  if have_binaries; then say "binaries cached in $BIN"; return 0; fi
  build_deps
  local work=$CACHE/src tree
  mkdir -p "$work" "$BIN"
  # Debian names it e.g. kubernetes-1.20.5+really1.20.2: the upstream version is the last one.
  tree=$(find "$work" -maxdepth 1 -type d -name "kubernetes-*$K8S_VERSION" | head -n1)
  if [ -z "$tree" ]; then
    say "fetching Debian's kubernetes source package into $work"
    (cd "$work" && apt-get source -q kubernetes >/dev/null 2>"$work/apt-source.log") ||
      { tail -n 20 "$work/apt-source.log" >&2; die "apt-get source kubernetes failed"; }
    tree=$(find "$work" -maxdepth 1 -type d -name "kubernetes-*" | head -n1)
    [ -n "$tree" ] || die "apt-get source produced no kubernetes-* directory in $work"
    case "$tree" in *"$K8S_VERSION") ;; *) die "expected kubernetes $K8S_VERSION, got $tree";; esac
  fi
  say "source tree $tree"
  # The vendored reflect2 1.0.1 panics under Go >= 1.18; Debian's 1.0.2 is API-compatible.
  local reflect2=/usr/share/gocode/src/github.com/modern-go/reflect2
  [ -d "$reflect2" ] || die "Debian's reflect2 not found at $reflect2"
  rm -rf "$tree/vendor/github.com/modern-go/reflect2"
  cp -r "$reflect2" "$tree/vendor/github.com/modern-go/reflect2"
  # Sandboxes refuse a negative oom_score_adj, which the kubelet sets on sandboxes and on
  # Guaranteed pods' containers: make both 0.
  patch_const "$tree/pkg/kubelet/dockershim/docker_sandbox.go" 'defaultSandboxOOMAdj int = -998' 'defaultSandboxOOMAdj int = 0'
  patch_const "$tree/pkg/kubelet/qos/policy.go" 'guaranteedOOMScoreAdj int = -997' 'guaranteedOOMScoreAdj int = 0'
  mkdir -p "$tree/.go/src/k8s.io"
  ln -sfn "$tree" "$tree/.go/src/k8s.io/kubernetes"
  local c out
  for c in "${COMPONENTS[@]}"; do
    [ -x "$BIN/$c" ] && continue
    say "building $c (nice; this takes minutes)"
    (cd "$tree/.go/src/k8s.io/kubernetes" &&
      GOPATH=$tree/.go KUBE_GIT_VERSION=v$K8S_VERSION \
      KUBE_GIT_TREE_STATE=clean nice -n 19 make WHAT="cmd/$c" >"$work/build-$c.log" 2>&1) ||
      { tail -n 40 "$work/build-$c.log" >&2; die "building $c failed (log: $work/build-$c.log)"; }
    out=$(find "$tree/_output" -type f -name "$c" -perm -u+x | head -n1)
    [ -n "$out" ] || die "make WHAT=cmd/$c produced no binary"
    install -m 0755 "$out" "$BIN/$c.tmp" && mv "$BIN/$c.tmp" "$BIN/$c"
  done
  if [ ! -x "$BIN/pause" ]; then
    gcc -static -O2 -o "$BIN/pause.tmp" "$tree/build/pause/linux/pause.c" && mv "$BIN/pause.tmp" "$BIN/pause"
  fi
  say "binaries built in $BIN: $("$BIN/kubectl" version --client --short 2>/dev/null || true)"
}

# ---------------------------------------------------------------------------------------- start
pid_alive() { [ -f "$STATE/$1.pid" ] && kill -0 "$(cat "$STATE/$1.pid")" 2>/dev/null; }
kubectl_() { "$BIN/kubectl" --kubeconfig "$KUBECONFIG_OUT" "$@"; }

healthy() {
  local p
  for p in etcd kube-apiserver kube-scheduler kube-controller-manager kubelet kube-proxy; do pid_alive "$p" || return 1; done
  [ -s "$KUBECONFIG_OUT" ] && kubectl_ get --raw /readyz >/dev/null 2>&1 &&
    [ "$(kubectl_ get node localhost -o jsonpath='{.status.conditions[?(@.type=="Ready")].status}' 2>/dev/null)" = True ]
}

ensure_pause_image() {
  docker image inspect "$PAUSE_IMAGE" >/dev/null 2>&1 && return 0
  local dir
  dir=$(mktemp -d)
  cp "$BIN/pause" "$dir/pause"
  tar -C "$dir" -c pause | docker import --change 'ENTRYPOINT ["/pause"]' - "$PAUSE_IMAGE" >/dev/null
  rm -rf "$dir"
  say "imported $PAUSE_IMAGE"
}

# A private CA, the API server's serving certificate (for 127.0.0.1/localhost and the in-cluster
# names) and the service-account signing key. Regenerated on every fresh start.
make_certs() {
  local d=$STATE/pki
  mkdir -p "$d"; chmod 0700 "$d"
  openssl req -x509 -newkey rsa:2048 -nodes -days 30 -subj "/CN=hubdeck-test-ca" \
    -keyout "$d/ca.key" -out "$d/ca.crt" 2>/dev/null
  openssl req -newkey rsa:2048 -nodes -subj "/CN=kube-apiserver" \
    -keyout "$d/apiserver.key" -out "$d/apiserver.csr" 2>/dev/null
  printf 'subjectAltName=IP:127.0.0.1,IP:%s,IP:10.96.0.1,DNS:localhost,DNS:kubernetes,DNS:kubernetes.default,DNS:kubernetes.default.svc,DNS:kubernetes.default.svc.cluster.local\nextendedKeyUsage=serverAuth\n' "$NODE_IP" >"$d/apiserver.ext"
  openssl x509 -req -in "$d/apiserver.csr" -CA "$d/ca.crt" -CAkey "$d/ca.key" -CAcreateserial \
    -days 30 -extfile "$d/apiserver.ext" -out "$d/apiserver.crt" 2>/dev/null
  openssl genrsa -out "$d/sa.key" 2048 2>/dev/null
  openssl rsa -in "$d/sa.key" -pubout -out "$d/sa.pub" 2>/dev/null
}

write_kubeconfig() {
  local file=$1 user=$2 token=$3
  local ca
  ca=$(base64 -w0 "$STATE/pki/ca.crt")
  umask 077
  cat >"$file.tmp" <<EOF
apiVersion: v1
kind: Config
clusters:
- name: hubdeck-test
  cluster:
    server: https://127.0.0.1:$API_PORT
    certificate-authority-data: $ca
users:
- name: $user
  user:
    token: $token
contexts:
- name: hubdeck-test
  context:
    cluster: hubdeck-test
    user: $user
    namespace: default
current-context: hubdeck-test
EOF
  mv "$file.tmp" "$file"
}

launch() {
  local name=$1; shift
  nohup "$@" >"$STATE/logs/$name.log" 2>&1 &
  echo $! >"$STATE/$name.pid"
}

fail_with_logs() {
  local name=$1; shift
  echo "k8s: $* — last lines of $STATE/logs/$name.log:" >&2
  tail -n 30 "$STATE/logs/$name.log" >&2 || true
  stop_cluster >/dev/null 2>&1 || true
  exit 1
}

wait_for() {
  local name=$1 secs=$2; shift 2
  local i
  for i in $(seq 1 "$secs"); do
    "$@" >/dev/null 2>&1 && return 0
    pid_alive "$name" || fail_with_logs "$name" "$name exited"
    sleep 1
  done
  fail_with_logs "$name" "$name did not become ready in ${secs}s"
}

start() {
  build
  if healthy; then say "already running"; echo "$KUBECONFIG_OUT"; return 0; fi
  docker info >/dev/null 2>&1 || die "no Docker engine answers (scripts/start-dockerd.sh first)"
  # Binaries cached from an earlier build do not bring their runtime companions on a fresh system.
  local c missing=0
  for c in etcd curl socat nsenter openssl findmnt; do command -v "$c" >/dev/null || missing=1; done
  if [ "$missing" = 1 ]; then
    say "installing etcd-server, socat, curl, openssl, util-linux"
    DEBIAN_FRONTEND=noninteractive apt-get install -y -q --no-install-recommends etcd-server socat curl openssl util-linux >/dev/null ||
      die "could not install the cluster's runtime packages"
  fi
  stop_cluster >/dev/null 2>&1 || true
  mkdir -p "$STATE/logs"; chmod 0700 "$STATE"
  ensure_pause_image
  # The node's address on the Docker bridge its pods live on: the API server advertises it, so a
  # pod (the hub in the cluster) reaches the API server through the kubernetes Service.
  NODE_IP=$(ip -4 -o addr show docker0 | awk '{print $4}' | cut -d/ -f1)
  [ -n "$NODE_IP" ] || die "docker0 has no IPv4 address"
  make_certs

  local admin kubelet sched cm proxy
  admin=$(openssl rand -hex 24); kubelet=$(openssl rand -hex 24)
  sched=$(openssl rand -hex 24); cm=$(openssl rand -hex 24); proxy=$(openssl rand -hex 24)
  # token,user,uid,"groups". The controller manager runs every controller under its own name, so
  # it gets cluster-admin rights; the scheduler and the kubelet get their bootstrap roles.
  ( umask 077; cat >"$STATE/tokens.csv" <<EOF
$admin,hubdeck-admin,uid-admin,"system:masters"
$kubelet,system:node:localhost,uid-node,"system:nodes"
$sched,system:kube-scheduler,uid-scheduler
$cm,system:kube-controller-manager,uid-cm,"system:masters"
$proxy,system:kube-proxy,uid-proxy
EOF
  )
  write_kubeconfig "$STATE/kubelet.kubeconfig" kubelet "$kubelet"
  write_kubeconfig "$STATE/scheduler.kubeconfig" scheduler "$sched"
  write_kubeconfig "$STATE/cm.kubeconfig" controller-manager "$cm"
  write_kubeconfig "$STATE/proxy.kubeconfig" kube-proxy "$proxy"
  write_kubeconfig "$KUBECONFIG_OUT" admin "$admin"

  say "starting etcd on 127.0.0.1:$ETCD_PORT"
  launch etcd etcd --name hubdeck --data-dir "$STATE/etcd" \
    --listen-client-urls "http://127.0.0.1:$ETCD_PORT" --advertise-client-urls "http://127.0.0.1:$ETCD_PORT" \
    --listen-peer-urls "http://127.0.0.1:$((ETCD_PORT + 1))" \
    --initial-advertise-peer-urls "http://127.0.0.1:$((ETCD_PORT + 1))" \
    --initial-cluster "hubdeck=http://127.0.0.1:$((ETCD_PORT + 1))"
  etcd_healthy() { curl -fsS "http://127.0.0.1:$ETCD_PORT/health" | grep -q '"health":"true"'; }
  wait_for etcd 30 etcd_healthy

  say "starting kube-apiserver on https://127.0.0.1:$API_PORT"
  launch kube-apiserver "$BIN/kube-apiserver" --etcd-servers "http://127.0.0.1:$ETCD_PORT" \
    --bind-address 0.0.0.0 --advertise-address "$NODE_IP" --secure-port "$API_PORT" --insecure-port 0 \
    --tls-cert-file "$STATE/pki/apiserver.crt" --tls-private-key-file "$STATE/pki/apiserver.key" \
    --client-ca-file "$STATE/pki/ca.crt" --token-auth-file "$STATE/tokens.csv" \
    --authorization-mode Node,RBAC \
    --service-account-key-file "$STATE/pki/sa.pub" --service-account-signing-key-file "$STATE/pki/sa.key" \
    --service-account-issuer https://kubernetes.default.svc \
    --service-cluster-ip-range 10.96.0.0/16 \
    --kubelet-preferred-address-types Hostname --allow-privileged=false
  wait_for kube-apiserver 90 kubectl_ get --raw /readyz

  say "starting kube-scheduler, kube-controller-manager"
  launch kube-scheduler "$BIN/kube-scheduler" --kubeconfig "$STATE/scheduler.kubeconfig" \
    --bind-address 127.0.0.1 --port 0 --secure-port 0 --leader-elect=false
  launch kube-controller-manager "$BIN/kube-controller-manager" --kubeconfig "$STATE/cm.kubeconfig" \
    --bind-address 127.0.0.1 --port 0 --secure-port 0 --leader-elect=false \
    --enable-hostpath-provisioner --controllers '*,-nodeipam' \
    --service-account-private-key-file "$STATE/pki/sa.key" --root-ca-file "$STATE/pki/ca.crt" \
    --cluster-signing-cert-file "$STATE/pki/ca.crt" --cluster-signing-key-file "$STATE/pki/ca.key"

  say "starting kubelet (node localhost, dockershim on the local dockerd)"
  mkdir -p "$STATE/kubelet"
  # Image garbage collection is off (threshold 100%): the test images are local-only and the
  # kubelet must never delete them.
  launch kubelet "$BIN/kubelet" --kubeconfig "$STATE/kubelet.kubeconfig" \
    --hostname-override localhost --address 127.0.0.1 --port 10250 \
    --read-only-port 0 --healthz-port 0 --fail-swap-on=false --cgroup-driver=cgroupfs \
    --container-runtime=docker --pod-infra-container-image="$PAUSE_IMAGE" \
    --anonymous-auth=true --authorization-mode=AlwaysAllow --cgroups-per-qos=false \
    --enforce-node-allocatable= --oom-score-adj=0 --root-dir "$STATE/kubelet" \
    --image-gc-high-threshold=100 --image-gc-low-threshold=99 \
    --eviction-hard='memory.available<10Mi,nodefs.available<1%,imagefs.available<1%'
  node_ready() {
    [ "$(kubectl_ get node localhost -o jsonpath='{.status.conditions[?(@.type=="Ready")].status}')" = True ]
  }
  wait_for kubelet 90 node_ready
  # Services: kube-proxy's iptables rules take ClusterIPs (the hub's own Service, and 10.96.0.1 for
  # a pod's in-cluster config) to their pods, from pods and from this host alike.
  say "starting kube-proxy (iptables mode)"
  launch kube-proxy "$BIN/kube-proxy" --kubeconfig "$STATE/proxy.kubeconfig" --hostname-override localhost \
    --proxy-mode iptables --cluster-cidr "$(ip -4 -o addr show docker0 | awk '{print $4}')" \
    --conntrack-max-per-core 0 --metrics-bind-address 127.0.0.1:10249 --healthz-bind-address 127.0.0.1:10256
  wait_for kube-proxy 60 curl -fsS http://127.0.0.1:10256/healthz
  pid_alive kube-scheduler || fail_with_logs kube-scheduler "kube-scheduler exited"
  pid_alive kube-controller-manager || fail_with_logs kube-controller-manager "kube-controller-manager exited"

  kubectl_ apply -f - >/dev/null <<'EOF'
apiVersion: storage.k8s.io/v1
kind: StorageClass
metadata:
  name: hostpath
  annotations:
    storageclass.kubernetes.io/is-default-class: "true"
provisioner: kubernetes.io/host-path
reclaimPolicy: Delete
volumeBindingMode: Immediate
EOF
  default_sa() { kubectl_ get serviceaccount default -n default; }
  wait_for kube-controller-manager 60 default_sa
  say "up: $(kubectl_ version --short 2>/dev/null | tail -n1)"
  echo "$KUBECONFIG_OUT"
}

# ---------------------------------------------------------------------------------------- stop
stop_pid() {
  local name=$1 pid i
  [ -f "$STATE/$name.pid" ] || return 0
  pid=$(cat "$STATE/$name.pid")
  if kill -0 "$pid" 2>/dev/null; then
    kill "$pid" 2>/dev/null || true
    for i in $(seq 1 20); do kill -0 "$pid" 2>/dev/null || break; sleep 0.5; done
    kill -9 "$pid" 2>/dev/null || true
  fi
  rm -f "$STATE/$name.pid"
}

stop_cluster() {
  local p ids
  # The kubelet first, so it does not restart the containers removed below.
  for p in kube-proxy kubelet kube-controller-manager kube-scheduler kube-apiserver etcd; do stop_pid "$p"; done
  # kube-proxy's Service rules go with it.
  [ -x "$BIN/kube-proxy" ] && "$BIN/kube-proxy" --cleanup >/dev/null 2>&1 || true
  if docker info >/dev/null 2>&1; then
    ids=$(docker ps -aq --filter 'name=^/?k8s_' || true)
    [ -z "$ids" ] || docker rm -f $ids >/dev/null
  fi
  # Memory-backed emptyDirs and secret volumes are tmpfs mounts under the kubelet's root.
  if [ -d "$STATE/kubelet" ]; then
    # (The kubelet also bind-mounts its root onto itself; deepest first, the root last.)
    { findmnt -rn -o TARGET | grep -E "^$STATE/kubelet(/|\$)" || true; } | sort -r | while read -r m; do umount -l "$m" || true; done
  fi
  # etcd goes, so do the volumes the hostpath provisioner made for its claims (under /tmp/hostpath_pv).
  rm -rf "$STATE/etcd" "$STATE/kubelet" "$STATE/pki" "$STATE"/*.kubeconfig "$STATE/tokens.csv" /tmp/hostpath_pv
  say "stopped"
}

status() {
  if healthy; then say "running"; echo "$KUBECONFIG_OUT"; return 0; fi
  say "not running"; return 1
}

case "${1:-}" in
  build) build ;;
  start) start ;;
  stop) stop_cluster ;;
  status) status ;;
  # The cluster's own kubectl (its kustomize reads deploy/kubernetes as a 1.20 cluster's users do).
  kubectl) shift; kubectl_ "$@" ;;
  *) echo "usage: $0 build|start|stop|status|kubectl ARGS…" >&2; exit 2 ;;
esac
