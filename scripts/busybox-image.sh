#!/usr/bin/env bash
# Makes the small local image the container tests and examples/containers/local run, with no registry:
# msdev-test/busybox, a static busybox (sh, httpd, nc, wget…) that serves /www on 8080. Needs a running Docker
# engine and a static busybox binary (Debian/Ubuntu: apt-get install busybox-static). Does nothing if the image exists.
set -euo pipefail
IMAGE="${IMAGE:-msdev-test/busybox:latest}"
BUSYBOX="${BUSYBOX:-$(command -v busybox || true)}"
if docker image inspect "$IMAGE" >/dev/null 2>&1; then echo "$IMAGE is already there"; exit 0; fi
if [[ -z "$BUSYBOX" || ! -x "$BUSYBOX" ]]; then
  echo "busybox-image.sh: need a statically linked busybox binary (apt-get install busybox-static, or BUSYBOX=/path/to/it)" >&2
  exit 1
fi
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
mkdir -p "$tmp"/rootfs/{bin,etc,tmp,www}
cp "$BUSYBOX" "$tmp/rootfs/bin/busybox"
for a in sh httpd nc echo cat ls sleep wget env id pwd test; do ln -s busybox "$tmp/rootfs/bin/$a"; done
echo 'root:x:0:0:root:/:/bin/sh' >"$tmp/rootfs/etc/passwd"
echo 'root:x:0:' >"$tmp/rootfs/etc/group"
echo 'hello from msdev-test' >"$tmp/rootfs/www/index.html"
tar -C "$tmp/rootfs" -cf "$tmp/rootfs.tar" .
docker import -c 'ENV PATH=/bin' -c 'EXPOSE 8080' -c 'CMD ["/bin/httpd","-f","-p","8080","-h","/www"]' "$tmp/rootfs.tar" "$IMAGE" >/dev/null
echo "imported $IMAGE"
