#!/usr/bin/env bash
# Regenerates the certificates, keys and kubeconfigs of an example cluster's control-plane node,
# laid out as kubeadm does (/etc/kubernetes/pki, /etc/kubernetes/*.conf, /var/lib/kubelet/pki).
#
#   examples/tools/make-pki.sh insecure examples/insecure-cluster/node-root
#   examples/tools/make-pki.sh hardened examples/hardened-cluster/node-root
#
# insecure: CAs and leaves valid 10 years, some RSA 1024 keys, one SHA-1 signature, one expired
#           certificate (etcd peer), an admin kubeconfig that skips TLS verification.
# hardened: CAs RSA 2048 valid 10 years, leaves RSA 2048 or ECDSA P-256 valid one year from
#           the day this runs, SHA-256 everywhere. Tests scan with --now inside that year.
# The keys are throwaway example material, generated here and used nowhere else.
set -euo pipefail
flavour=$1
root=$2
[[ $flavour == insecure || $flavour == hardened ]] || { echo "flavour must be insecure or hardened" >&2; exit 2; }
pki=$root/etc/kubernetes/pki
mkdir -p "$pki/etcd" "$root/var/lib/kubelet/pki"
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
server=https://10.0.0.10:6443

rsa() { openssl genpkey -algorithm RSA -pkeyopt "rsa_keygen_bits:$2" -out "$1" 2>/dev/null; }
ec() { openssl genpkey -algorithm EC -pkeyopt ec_paramgen_curve:P-256 -out "$1" 2>/dev/null; }

# ca KEYFILE CRT CN DAYS
ca() {
  openssl req -x509 -new -key "$1" -out "$2" -subj "/CN=$3" -days "$4" -sha256 \
    -addext "basicConstraints=critical,CA:TRUE" -addext "keyUsage=critical,digitalSignature,keyEncipherment,keyCertSign" 2>/dev/null
}

# leaf KEY CRT SUBJ CA_CRT CA_KEY DAYS DIGEST EKU [SAN]
leaf() {
  local key=$1 crt=$2 subj=$3 cacrt=$4 cakey=$5 days=$6 digest=$7 eku=$8 san=${9:-}
  local ext=$work/ext.cnf
  {
    echo "basicConstraints=critical,CA:FALSE"
    echo "keyUsage=critical,digitalSignature,keyEncipherment"
    echo "extendedKeyUsage=$eku"
    [[ -n $san ]] && echo "subjectAltName=$san"
  } >"$ext"
  openssl req -new -key "$key" -subj "$subj" -out "$work/req.csr" 2>/dev/null
  openssl x509 -req -in "$work/req.csr" -CA "$cacrt" -CAkey "$cakey" -CAcreateserial -out "$crt" \
    -days "$days" "-$digest" -extfile "$ext" 2>/dev/null
}

# expired KEY CRT SUBJ CA_CRT CA_KEY EKU SAN: valid 2024-01-15 .. 2025-01-14, long past
expired() {
  local key=$1 crt=$2 subj=$3 cacrt=$4 cakey=$5 eku=$6 san=$7
  mkdir -p "$work/ca/new"
  : >"$work/ca/index.txt"
  echo 1000 >"$work/ca/serial"
  cat >"$work/ca/ca.cnf" <<CNF
[ ca ]
default_ca = expired_ca
[ expired_ca ]
dir = $work/ca
database = \$dir/index.txt
new_certs_dir = \$dir/new
serial = \$dir/serial
default_md = sha256
policy = any
unique_subject = no
copy_extensions = none
[ any ]
commonName = supplied
organizationName = optional
[ ext ]
basicConstraints = critical,CA:FALSE
keyUsage = critical,digitalSignature,keyEncipherment
extendedKeyUsage = $eku
subjectAltName = $san
CNF
  openssl req -new -key "$key" -subj "$subj" -out "$work/req.csr" 2>/dev/null
  openssl ca -batch -config "$work/ca/ca.cnf" -cert "$cacrt" -keyfile "$cakey" -in "$work/req.csr" -out "$crt" \
    -startdate 20240115000000Z -enddate 20250114000000Z -extensions ext -notext 2>/dev/null
}

b64() { base64 -w0 "$1"; }

# kubeconfig FILE USER CRT KEY [insecure]
kubeconfig() {
  local file=$1 user=$2 crt=$3 key=$4 skip=${5:-}
  local cluster_tls
  if [[ -n $skip ]]; then cluster_tls="    insecure-skip-tls-verify: true"
  else cluster_tls="    certificate-authority-data: $(b64 "$pki/ca.crt")"; fi
  cat >"$file" <<CONF
apiVersion: v1
clusters:
- cluster:
$cluster_tls
    server: $server
  name: kubernetes
contexts:
- context:
    cluster: kubernetes
    user: $user
  name: $user@kubernetes
current-context: $user@kubernetes
kind: Config
preferences: {}
users:
- name: $user
  user:
    client-certificate-data: $(b64 "$crt")
    client-key-data: $(b64 "$key")
CONF
}

if [[ $flavour == insecure ]]; then
  LEAF_DAYS=3650; WEAK=1024; STRONG=2048
else
  LEAF_DAYS=365; WEAK=2048; STRONG=2048
fi
CA_DAYS=3650
apiserver_san="DNS:cp-1,DNS:kubernetes,DNS:kubernetes.default,DNS:kubernetes.default.svc,DNS:kubernetes.default.svc.cluster.local,IP:10.96.0.1,IP:10.0.0.10"
etcd_san="DNS:cp-1,DNS:localhost,IP:10.0.0.10,IP:127.0.0.1,IP:0:0:0:0:0:0:0:1"

# Certificate authorities.
rsa "$pki/ca.key" 2048; ca "$pki/ca.key" "$pki/ca.crt" kubernetes $CA_DAYS
rsa "$pki/front-proxy-ca.key" 2048; ca "$pki/front-proxy-ca.key" "$pki/front-proxy-ca.crt" front-proxy-ca $CA_DAYS
rsa "$pki/etcd/ca.key" 2048; ca "$pki/etcd/ca.key" "$pki/etcd/ca.crt" etcd-ca $CA_DAYS

if [[ $flavour == hardened ]]; then newkey=ec; else newkey=rsa; fi
keygen() { if [[ $newkey == ec ]]; then ec "$1"; else rsa "$1" "$2"; fi; }

# kube-apiserver serving and client certificates.
rsa "$pki/apiserver.key" $STRONG
leaf "$pki/apiserver.key" "$pki/apiserver.crt" "/CN=kube-apiserver" "$pki/ca.crt" "$pki/ca.key" $LEAF_DAYS sha256 serverAuth "$apiserver_san"
rsa "$pki/apiserver-kubelet-client.key" $WEAK
leaf "$pki/apiserver-kubelet-client.key" "$pki/apiserver-kubelet-client.crt" "/O=kubeadm:cluster-admins/CN=kube-apiserver-kubelet-client" "$pki/ca.crt" "$pki/ca.key" $LEAF_DAYS sha256 clientAuth
keygen "$pki/apiserver-etcd-client.key" $STRONG
leaf "$pki/apiserver-etcd-client.key" "$pki/apiserver-etcd-client.crt" "/CN=kube-apiserver-etcd-client" "$pki/etcd/ca.crt" "$pki/etcd/ca.key" $LEAF_DAYS sha256 clientAuth

# Front proxy client: SHA-1 signed on the insecure node.
if [[ $flavour == insecure ]]; then digest=sha1; else digest=sha256; fi
rsa "$pki/front-proxy-client.key" $STRONG
leaf "$pki/front-proxy-client.key" "$pki/front-proxy-client.crt" "/CN=front-proxy-client" "$pki/front-proxy-ca.crt" "$pki/front-proxy-ca.key" $LEAF_DAYS $digest clientAuth

# etcd: server, peer (expired on the insecure node), health-check client.
keygen "$pki/etcd/server.key" $STRONG
leaf "$pki/etcd/server.key" "$pki/etcd/server.crt" "/CN=cp-1" "$pki/etcd/ca.crt" "$pki/etcd/ca.key" $LEAF_DAYS sha256 serverAuth,clientAuth "$etcd_san"
keygen "$pki/etcd/peer.key" $STRONG
if [[ $flavour == insecure ]]; then
  expired "$pki/etcd/peer.key" "$pki/etcd/peer.crt" "/CN=cp-1" "$pki/etcd/ca.crt" "$pki/etcd/ca.key" serverAuth,clientAuth "$etcd_san"
else
  leaf "$pki/etcd/peer.key" "$pki/etcd/peer.crt" "/CN=cp-1" "$pki/etcd/ca.crt" "$pki/etcd/ca.key" $LEAF_DAYS sha256 serverAuth,clientAuth "$etcd_san"
fi
keygen "$pki/etcd/healthcheck-client.key" $STRONG
leaf "$pki/etcd/healthcheck-client.key" "$pki/etcd/healthcheck-client.crt" "/CN=kube-etcd-healthcheck-client" "$pki/etcd/ca.crt" "$pki/etcd/ca.key" $LEAF_DAYS sha256 clientAuth

# Service account signing key pair (a key, not a certificate).
rsa "$pki/sa.key" $WEAK
openssl pkey -in "$pki/sa.key" -pubout -out "$pki/sa.pub" 2>/dev/null

# Client certificates embedded in the kubeconfigs, as kubeadm embeds them.
client() { # NAME SUBJ -> $work/NAME.crt/.key
  keygen "$work/$1.key" $STRONG
  leaf "$work/$1.key" "$work/$1.crt" "$2" "$pki/ca.crt" "$pki/ca.key" $LEAF_DAYS sha256 clientAuth
}
client admin "/O=kubeadm:cluster-admins/CN=kubernetes-admin"
client super-admin "/O=system:masters/CN=kubernetes-super-admin"
client controller-manager "/CN=system:kube-controller-manager"
client scheduler "/CN=system:kube-scheduler"
if [[ $flavour == insecure ]]; then skip=insecure; else skip=; fi
kubeconfig "$root/etc/kubernetes/admin.conf" kubernetes-admin "$work/admin.crt" "$work/admin.key" $skip
kubeconfig "$root/etc/kubernetes/super-admin.conf" kubernetes-super-admin "$work/super-admin.crt" "$work/super-admin.key"
kubeconfig "$root/etc/kubernetes/controller-manager.conf" system:kube-controller-manager "$work/controller-manager.crt" "$work/controller-manager.key"
kubeconfig "$root/etc/kubernetes/scheduler.conf" system:kube-scheduler "$work/scheduler.crt" "$work/scheduler.key"

# kubelet: kubeadm points kubelet.conf at the rotated client certificate file.
client kubelet "/O=system:nodes/CN=system:node:cp-1"
cat "$work/kubelet.crt" "$work/kubelet.key" >"$root/var/lib/kubelet/pki/kubelet-client-$(date -u +%Y-%m-%d-%H-%M-%S).pem"
(cd "$root/var/lib/kubelet/pki" && ln -sf "$(ls kubelet-client-2*.pem | tail -1)" kubelet-client-current.pem)
cat >"$root/etc/kubernetes/kubelet.conf" <<CONF
apiVersion: v1
clusters:
- cluster:
    certificate-authority-data: $(b64 "$pki/ca.crt")
    server: $server
  name: kubernetes
contexts:
- context:
    cluster: kubernetes
    user: system:node:cp-1
  name: system:node:cp-1@kubernetes
current-context: system:node:cp-1@kubernetes
kind: Config
preferences: {}
users:
- name: system:node:cp-1
  user:
    client-certificate: /var/lib/kubelet/pki/kubelet-client-current.pem
    client-key: /var/lib/kubelet/pki/kubelet-client-current.pem
CONF

# kubelet serving certificate: self-signed by the kubelet (insecure) or issued through the
# cluster CA after serverTLSBootstrap (hardened).
if [[ $flavour == insecure ]]; then
  rsa "$root/var/lib/kubelet/pki/kubelet.key" 2048
  openssl req -x509 -new -key "$root/var/lib/kubelet/pki/kubelet.key" -out "$root/var/lib/kubelet/pki/kubelet.crt" \
    -subj "/CN=cp-1@1718000000" -days 365 -sha256 -addext "subjectAltName=DNS:cp-1" 2>/dev/null
else
  ec "$work/kubelet-server.key"
  leaf "$work/kubelet-server.key" "$work/kubelet-server.crt" "/O=system:nodes/CN=system:node:cp-1" "$pki/ca.crt" "$pki/ca.key" $LEAF_DAYS sha256 serverAuth "DNS:cp-1,IP:10.0.0.10"
  cat "$work/kubelet-server.crt" "$work/kubelet-server.key" >"$root/var/lib/kubelet/pki/kubelet-server-$(date -u +%Y-%m-%d-%H-%M-%S).pem"
  (cd "$root/var/lib/kubelet/pki" && ln -sf "$(ls kubelet-server-2*.pem | tail -1)" kubelet-server-current.pem)
fi
rm -f "$pki"/*.srl "$pki"/etcd/*.srl
echo "wrote $pki and the kubeconfigs under $root/etc/kubernetes"
