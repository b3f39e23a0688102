#!/usr/bin/env bash
# Fetches a real llama.cpp server for tests without installing anything on
# the system: downloads Debian's llama.cpp-tools and the libraries it needs
# from the testing suite (forky; sid when forky lacks a package) through a
# private apt configuration, and extracts them into <repo>/.cache/llama/root.
# The mirror is the one the machine's own apt sources already use.
#
# Idempotent: a second run reuses the downloaded .debs and the extracted
# tree. It starts nothing; it ends by printing llama-server's build info.
#
# Example:
#   bash scripts/dev/setup_llama_server.sh          # fetch (or reuse) and check
#   LLAMA_SETUP_REFRESH=1 bash scripts/dev/setup_llama_server.sh   # re-download
set -euo pipefail

fail() {
  echo "setup_llama_server: ERROR: $*" >&2
  exit 1
}
trap 'fail "command failed at line $LINENO (exit $?)"' ERR

repo="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)"
cache="$repo/.cache/llama"
apt_dir="$cache/apt"
debs="$cache/debs"
root="$cache/root"
stamp="$root/.complete"
suites=(forky sid)

# Packages to extract: the server and its own libraries, then every runtime
# library it or a CPU backend loads, so that nothing resolves to the host's
# (older, or absent: a slim image has no libgomp1). The check below fails
# when a later build needs one more.
packages=(
  llama.cpp-tools libllama0 libggml0 libc6 libstdc++6 libssl3t64
  libgcc-s1 libgomp1 zlib1g libzstd1
)

for tool in apt-get dpkg-deb; do
  command -v "$tool" >/dev/null || fail "$tool is required (a Debian system)"
done
[ "$(dpkg --print-architecture)" = amd64 ] ||
  fail "only amd64 is supported (this is $(dpkg --print-architecture))"

# The mirror URI of the machine's own Debian sources (not the security one).
mirror_uri() {
  local uri=""
  shopt -s nullglob
  local f
  for f in /etc/apt/sources.list.d/*.sources; do
    # deb822 stanzas: the first binary one, enabled, not for security.
    uri="$(awk '
      function take() {
        if (!done && u != "" && t ~ /(^|[ \t])deb([ \t]|$)/ &&
            s !~ /security/ && e !~ /no/) { print u; done = 1 }
        u = ""; s = ""; t = ""; e = ""
      }
      /^[[:space:]]*$/ { take(); next }
      tolower($1) == "uris:" { u = $2 }
      tolower($1) == "suites:" { s = $0 }
      tolower($1) == "types:" { t = $0 }
      tolower($1) == "enabled:" { e = tolower($2) }
      END { take() }
    ' "$f")"
    [ -n "$uri" ] && break
  done
  if [ -z "$uri" ]; then
    for f in /etc/apt/sources.list /etc/apt/sources.list.d/*.list; do
      [ -f "$f" ] || continue
      uri="$(sed -E 's/\[[^]]*\]//' "$f" |
        awk '$1 == "deb" && $3 !~ /security/ { print $2; exit }')"
      [ -n "$uri" ] && break
    done
  fi
  shopt -u nullglob
  [ -n "$uri" ] || return 1
  echo "${uri%/}"
}

apt_opts=()
# Points the private apt configuration at the suites given as arguments and
# refreshes its package lists.
apt_update() {
  local uri keyring=/usr/share/keyrings/debian-archive-keyring.gpg
  uri="$(mirror_uri)" ||
    fail "no Debian mirror found in /etc/apt/sources.list(.d); cannot download"
  mkdir -p "$apt_dir/lists/partial" "$apt_dir/cache/archives/partial"
  local signed=""
  [ -f "$keyring" ] && signed=" [signed-by=$keyring]"
  : >"$apt_dir/sources.list"
  local suite
  for suite in "$@"; do
    echo "deb$signed $uri $suite main" >>"$apt_dir/sources.list"
  done
  apt_opts=(
    -o "Dir::Etc::SourceList=$apt_dir/sources.list"
    -o "Dir::Etc::SourceParts=/dev/null"
    -o "Dir::Etc::Preferences=/dev/null"
    -o "Dir::Etc::PreferencesParts=/dev/null"
    -o "Dir::State::Lists=$apt_dir/lists"
    -o "Dir::Cache=$apt_dir/cache"
    -o "Dir::State::Status=/dev/null"
    -o "APT::Architectures=amd64"
    -o "Acquire::Languages=none"
    -o "Acquire::GzipIndexes=true"
  )
  echo "setup_llama_server: apt-get update from $uri, suites $*"
  apt-get "${apt_opts[@]}" -q update >"$apt_dir/update.log" 2>&1 ||
    fail "apt-get update failed; see $apt_dir/update.log"
}

# A readable .deb of PACKAGE already in the cache, if any (a broken one,
# say from an interrupted download, is removed).
cached_deb() {
  local pkg="$1" deb
  deb="$(find "$debs" -maxdepth 1 -name "${pkg}_*.deb" -print -quit 2>/dev/null)"
  [ -n "$deb" ] || return 0
  if dpkg-deb --info "$deb" >/dev/null 2>&1; then
    echo "$deb"
  else
    rm -f "$deb"
  fi
}

# Downloads the packages named as arguments into the .deb cache, each from
# the first suite that has it (the later suites' lists are fetched only when
# an earlier one lacks something).
download() {
  mkdir -p "$debs"
  local pending=("$@") used=() suite pkg missing
  for suite in "${suites[@]}"; do
    [ "${#pending[@]}" -gt 0 ] || break
    used+=("$suite")
    apt_update "${used[@]}"
    # One apt-get for all (each run re-reads the lists); one by one only
    # when that fails, to find what this suite lacks.
    if (cd "$debs" && apt-get "${apt_opts[@]}" -q download \
      "${pending[@]/%//$suite}") >>"$apt_dir/download.log" 2>&1; then
      echo "setup_llama_server: downloaded ${pending[*]} from $suite"
      pending=()
      break
    fi
    missing=()
    for pkg in "${pending[@]}"; do
      if (cd "$debs" && apt-get "${apt_opts[@]}" -q download "$pkg/$suite") \
        >>"$apt_dir/download.log" 2>&1; then
        echo "setup_llama_server: downloaded $pkg from $suite"
      else
        missing+=("$pkg")
      fi
    done
    pending=("${missing[@]}")
  done
  [ "${#pending[@]}" -eq 0 ] ||
    fail "not in any of ${suites[*]}: ${pending[*]} (see $apt_dir/download.log)"
}

# One setup at a time.
mkdir -p "$cache"
if command -v flock >/dev/null; then
  exec 9>"$cache/setup.lock"
  flock 9
fi

if [ -n "${LLAMA_SETUP_REFRESH:-}" ]; then
  rm -rf "$debs" "$root"
fi
wanted=()
for pkg in "${packages[@]}"; do
  [ -n "$(cached_deb "$pkg")" ] || wanted+=("$pkg")
done
if [ "${#wanted[@]}" -gt 0 ]; then
  rm -rf "$root"
  download "${wanted[@]}"
else
  echo "setup_llama_server: all .debs cached in $debs"
fi

if [ ! -f "$stamp" ]; then
  rm -rf "$root"
  mkdir -p "$root"
  for pkg in "${packages[@]}"; do
    deb="$(cached_deb "$pkg")"
    [ -n "$deb" ] || fail "no cached .deb for $pkg"
    dpkg-deb -x "$deb" "$root" || fail "could not extract $deb"
  done
  (cd "$debs" && ls) >"$stamp"
fi

lib="$root/usr/lib/x86_64-linux-gnu"
loader="$lib/ld-linux-x86-64.so.2"
binary="$root/usr/bin/llama-server"
backends="$lib/ggml/backends0"
[ -x "$binary" ] || fail "llama-server is missing from the extracted tree"
[ -e "$loader" ] || fail "the extracted loader is missing ($loader)"
[ -d "$backends" ] || fail "the CPU backends folder is missing ($backends)"
libpath="$lib:$lib/llama:$lib/ggml"

# Every shared library the server and its backends need must resolve, and
# inside the extracted tree (the kernel's vDSO aside).
missing=""
for obj in "$binary" "$backends"/*.so; do
  out="$("$loader" --library-path "$libpath" --list "$obj" 2>&1)" ||
    fail "cannot list the libraries of $obj:"$'\n'"$out"
  bad="$(grep -v -F -e "linux-vdso" -e "$root/" <<<"$out" || true)"
  [ -z "$bad" ] || missing+="${obj#"$root"/}:"$'\n'"$bad"$'\n'
done
[ -z "$missing" ] ||
  fail "libraries missing from the extracted tree (add their packages):"$'\n'"$missing"

version="$(cd "$backends" &&
  "$loader" --library-path "$libpath" "$binary" --version 2>&1)" ||
  fail "llama-server --version failed:"$'\n'"$version"
echo "setup_llama_server: ready in $root"
echo "$version"
