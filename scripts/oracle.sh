#!/usr/bin/env bash
# Obtain a real Valkey 9 (the oracle) by building Debian forky's source package.
# Prints the directory holding valkey-server / valkey-cli / valkey-benchmark.
# Cached under ${VALKEY_DOUBLE_CACHE:-~/.cache/valkey-double}/<version>; reused when present.
# The unpacked, built source tree is kept beside the binaries in <version>/tree:
# Valkey's own test suite (tree/tests, ./runtest) needs it, even against an external server.
set -euo pipefail

cache_root="${VALKEY_DOUBLE_CACHE:-$HOME/.cache/valkey-double}"
mkdir -p "$cache_root"

# Reuse any cached 9.x build.
for d in "$cache_root"/9.*/; do
  if [ -x "$d/valkey-server" ] && [ -x "$d/tree/src/valkey-server" ] && "$d/valkey-server" --version >/dev/null 2>&1; then
    echo "${d%/}"
    exit 0
  fi
done

log() { echo "[oracle] $*" >&2; }
work="$(mktemp -d)"
trap 'rm -rf "$work"' EXIT

mirror="$(awk '/^URIs:/ {print $2; exit}' /etc/apt/sources.list.d/debian.sources 2>/dev/null || true)"
[ -n "$mirror" ] || mirror="http://deb.debian.org/debian"

mkdir -p "$work/lists/partial" "$work/src"
cat > "$work/forky.sources" <<SRC
Types: deb-src
URIs: $mirror
Suites: forky
Components: main
Signed-By: /usr/share/keyrings/debian-archive-keyring.gpg
SRC
apt_opts=(-o "Dir::Etc::sourcelist=$work/forky.sources" -o "Dir::Etc::sourceparts=/dev/null" -o "Dir::State::Lists=$work/lists")
log "fetching the forky source index"
apt-get "${apt_opts[@]}" update >&2
log "downloading the valkey source package"
(cd "$work/src" && apt-get "${apt_opts[@]}" source --download-only valkey >&2)
orig="$(ls "$work/src"/valkey_*.orig.tar.gz | head -n1)"
version="$(basename "$orig" .orig.tar.gz)"; version="${version#valkey_}"
log "building valkey $version (make -j2 BUILD_TLS=no)"
tar -xzf "$orig" -C "$work/src"
srcdir="$(find "$work/src" -maxdepth 1 -type d -name 'valkey-*' | head -n1)"
make -C "$srcdir" -j"$(nproc)" BUILD_TLS=no >"$work/build.log" 2>&1 || { tail -50 "$work/build.log" >&2; exit 1; }
dest="$cache_root/$version"
mkdir -p "$dest"
cp "$srcdir/src/valkey-server" "$srcdir/src/valkey-cli" "$srcdir/src/valkey-benchmark" "$dest/"
# Keep the upstream source for reading behaviour (never shipped, never committed), and the built
# tree for Valkey's test suite (scripts/valkey-suite.ts).
cp "$orig" "$dest/source.orig.tar.gz"
rm -rf "$dest/tree"
mv "$srcdir" "$dest/tree"
log "cached in $dest"
echo "$dest"
