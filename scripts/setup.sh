# Installs what the run and test commands need and is missing. Sourced by scripts/run and
# scripts/test; each step checks first, so a warm machine pays nothing.

CARGO_LEPTOS_VERSION=0.3.8
SQLX_CLI_VERSION=0.8.6

say() { printf '\033[1m==> %s\033[0m\n' "$*"; }

export PATH="$HOME/.cargo/bin:$PATH"

apt_updated=
apt_install() {
  if [ -z "$apt_updated" ]; then
    say "apt-get update"
    apt-get update -qq
    apt_updated=1
  fi
  say "apt-get install $*"
  DEBIAN_FRONTEND=noninteractive apt-get install -y -qq "$@" >/dev/null
}

ensure_wasm_target() {
  if ! rustup target list --installed | grep -qx wasm32-unknown-unknown; then
    say "adding the wasm32-unknown-unknown target"
    rustup target add wasm32-unknown-unknown
  fi
}

# cargo-leptos at the version that builds on this rustc, with no binary downloads.
ensure_cargo_leptos() {
  if ! cargo leptos --version 2>/dev/null | grep -q " $CARGO_LEPTOS_VERSION"; then
    say "installing cargo-leptos $CARGO_LEPTOS_VERSION (it takes a while: the slowest step of a first run)"
    cargo install "cargo-leptos@$CARGO_LEPTOS_VERSION" --locked --features no_downloads
  fi
}

# wasm-bindgen must match the wasm-bindgen crate in Cargo.lock exactly.
ensure_wasm_bindgen() {
  local want
  want=$(awk '/^name = "wasm-bindgen"$/ { getline; gsub(/version = |"/, ""); print; exit }' Cargo.lock)
  if ! wasm-bindgen --version 2>/dev/null | grep -q " $want\$"; then
    say "installing wasm-bindgen-cli $want"
    # Not --locked: the registry mirror lacks some of the newest dependency versions.
    cargo install wasm-bindgen-cli --version "=$want"
  fi
}

# wasm-opt for release builds: binaryen from npm (the WebAssembly build runs on node);
# beside it terser, which minifies the readers' bundle's JS.
# Debian's binaryen 108 breaks wasm-bindgen's externref table in this output (the page
# fails to hydrate with "WebAssembly.Table.set(): Argument 1 is invalid").
ensure_wasm_opt() {
  command -v npm >/dev/null || apt_install nodejs npm
  if ! cmp -s scripts/tools/package-lock.json scripts/tools/node_modules/.installed-lock.json 2>/dev/null; then
    say "installing wasm-opt (binaryen, npm)"
    (cd scripts/tools && npm ci --no-audit --no-fund \
      && cp package-lock.json node_modules/.installed-lock.json)
  fi
  export PATH="$PWD/scripts/tools/node_modules/.bin:$PATH"
}

ensure_postgres_binaries() {
  ls /usr/lib/postgresql/*/bin/initdb >/dev/null 2>&1 || command -v initdb >/dev/null || apt_install postgresql
}

ensure_chromium() {
  [ -x /usr/bin/chromium ] || apt_install chromium
}

ensure_node_packages() {
  command -v npm >/dev/null || apt_install nodejs npm
  # The stamp is the lock file npm ci last installed from.
  if ! cmp -s end2end/package-lock.json end2end/node_modules/.installed-lock.json 2>/dev/null; then
    say "installing the browser-test packages (npm ci)"
    (cd end2end && PLAYWRIGHT_SKIP_BROWSER_DOWNLOAD=1 npm ci --no-audit --no-fund \
      && cp package-lock.json node_modules/.installed-lock.json)
  fi
}

ensure_sqlx_cli() {
  if ! cargo sqlx --version 2>/dev/null | grep -q " $SQLX_CLI_VERSION"; then
    say "installing sqlx-cli $SQLX_CLI_VERSION"
    cargo install "sqlx-cli@$SQLX_CLI_VERSION" --locked --no-default-features --features postgres,rustls
  fi
}

# cargo-nextest runs each test in its own process (see .config/nextest.toml).
ensure_nextest() {
  if ! cargo nextest --version >/dev/null 2>&1; then
    say "installing cargo-nextest"
    cargo install cargo-nextest --locked
  fi
}

# A Python environment with the open formats' own validators (scripts/validators), kept
# under .data and rebuilt when its requirements change.
VALIDATORS=.data/validators
ensure_validators() {
  if ! cmp -s scripts/validators/requirements.txt "$VALIDATORS/.installed-requirements.txt" 2>/dev/null; then
    say "installing the format validators (followthemoney, feedparser, icalendar, schemathesis from PyPI)"
    rm -rf "$VALIDATORS"
    python3 -m venv "$VALIDATORS"
    "$VALIDATORS/bin/pip" install --quiet --disable-pip-version-check -r scripts/validators/requirements.txt
    cp scripts/validators/requirements.txt "$VALIDATORS/.installed-requirements.txt"
  fi
}

# The machine's PostgreSQL service (127.0.0.1:5432, trust auth), started if it stopped.
ensure_pg_service() {
  if ! pg_isready -q -h 127.0.0.1 -p 5432; then
    say "starting the PostgreSQL service"
    pg_ctlcluster --skip-systemctl-redirect "$(ls /etc/postgresql | sort -n | tail -1)" main start
    for _ in $(seq 30); do pg_isready -q -h 127.0.0.1 -p 5432 && return; sleep 1; done
    echo "PostgreSQL on 127.0.0.1:5432 did not come up" >&2
    return 1
  fi
}

# The release build that scripts/run serves and the browser tests and benchmarks drive.
# cargo-leptos re-runs wasm-bindgen and wasm-opt on every release build even when nothing
# changed; a stamp written when a build starts, kept when it succeeds, lets the next
# start skip a build none of whose inputs is newer.
RELEASE_STAMP=target/.release-build-stamp
RELEASE_INPUTS=(Cargo.toml Cargo.lock .sqlx app server migrations style public)

release_is_current() {
  [ -f "$RELEASE_STAMP" ] && [ -x target/release/server ] &&
    [ -f target/release/hash.txt ] &&
    [ -z "$(find "${RELEASE_INPUTS[@]}" -newer "$RELEASE_STAMP" -print -quit)" ]
}

build_release() {
  if release_is_current; then
    say "the release build is current"
    return
  fi
  say "release build (cargo leptos build --release)"
  mkdir -p target
  touch "$RELEASE_STAMP.next"
  # --precompress writes .br and .gz beside each built file, served as they are. Its gzip
  # is weaker than gzip -9 (1.08 MB against 0.92 MB for the wasm), so those are redone.
  SQLX_OFFLINE=true cargo leptos build --release --precompress
  build_readers_bundle
  local f
  for f in target/site/pkg/*.wasm target/site/pkg/*.js target/site/pkg/*.css; do
    gzip -9 -n -c "$f" >"$f.gz"
  done
  mv "$RELEASE_STAMP.next" "$RELEASE_STAMP"
}

# The readers' bundle, which `/` and `/embed` load: the timeline's drawing only, no
# router and no hydration (the app crate's feature `readers`), built as cargo-leptos
# builds the whole application's (same profile, wasm-bindgen, wasm-opt flags and target
# directory, so its compiled dependencies are reused), named by its content's hash beside the other built files, with a brotli
# copy (gzip below), and written into hash.txt, where the server looks for it.
build_readers_bundle() {
  ensure_wasm_opt
  local wasm=target/front/wasm32-unknown-unknown/wasm-release/app.wasm
  local out=target/front/readers pkg=target/site/pkg name=sanctions-timeline
  say "the readers' bundle (app feature readers)"
  # LEPTOS_OUTPUT_NAME as cargo-leptos sets it: leptos reads it while it compiles.
  SQLX_OFFLINE=true LEPTOS_OUTPUT_NAME=$name cargo build -p app --lib \
    --target wasm32-unknown-unknown --profile wasm-release --no-default-features \
    --features readers --target-dir target/front
  rm -rf "$out"
  wasm-bindgen --target web --no-typescript --out-name readers --out-dir "$out" "$wasm"
  wasm-opt -Oz --enable-bulk-memory --enable-nontrapping-float-to-int \
    "$out/readers_bg.wasm" -o "$out/readers_bg.wasm"
  # cargo-leptos minifies the whole application's JS itself (swc); 8.1 KB gzip to 6.1.
  terser "$out/readers.js" --module --compress --mangle -o "$out/readers.js"
  local hash
  hash=readers-$(cat "$out/readers.js" "$out/readers_bg.wasm" | sha256sum | cut -c1-20)
  rm -f "$pkg/$name".readers-*
  cp "$out/readers.js" "$pkg/$name.$hash.js"
  cp "$out/readers_bg.wasm" "$pkg/$name.$hash.wasm"
  node -e '
    const zlib = require("zlib"), fs = require("fs");
    const quality = { params: { [zlib.constants.BROTLI_PARAM_QUALITY]: 11 } };
    for (const f of process.argv.slice(1))
      fs.writeFileSync(f + ".br", zlib.brotliCompressSync(fs.readFileSync(f), quality));
  ' "$pkg/$name.$hash.js" "$pkg/$name.$hash.wasm"
  sed -i '/^readers_/d' target/release/hash.txt
  printf 'readers_js: %s\nreaders_wasm: %s\n' "$hash" "$hash" >>target/release/hash.txt
}

# The environment `cargo leptos serve` would give the release server, listening on $1.
release_env() {
  export LEPTOS_OUTPUT_NAME=sanctions-timeline LEPTOS_SITE_ROOT=target/site \
    LEPTOS_SITE_PKG_DIR=pkg LEPTOS_SITE_ADDR="$1" LEPTOS_ENV=PROD LEPTOS_HASH_FILES=true
}

# Starts the release server in the background on address $1, logging to $2; sets
# server_pid and returns once /readyz answers (or fails with the log).
start_release_server() {
  local addr=$1 log=$2
  (release_env "$addr" && exec target/release/server) >"$log" 2>&1 &
  server_pid=$!
  for _ in $(seq 120); do
    curl -sf "http://$addr/readyz" >/dev/null && return 0
    kill -0 "$server_pid" 2>/dev/null || break
    sleep 0.5
  done
  echo "the server on $addr did not become ready; its log:" >&2
  cat "$log" >&2
  return 1
}
