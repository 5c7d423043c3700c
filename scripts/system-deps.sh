#!/usr/bin/env bash
# System packages the tests need: Chromium (browser tests), CJK and emoji fonts (Chinese and icons
# in screenshots and browser tests) and a PostgreSQL server (the plans suite runs on PostgreSQL too).
# Debian/Ubuntu only; needs root. Skips what is already there.
set -euo pipefail
need=()
[ -x /usr/bin/chromium ] || need+=(chromium)
fonts=$(fc-list 2>/dev/null || true)  # read whole: `fc-list | grep -q` fails under pipefail (SIGPIPE)
grep -qi -e "wenquanyi" -e "noto sans cjk" <<<"$fonts" || need+=(fonts-wqy-microhei)
# page and button icons are emoji: without this font headless Chromium draws empty boxes
grep -qi "emoji" <<<"$fonts" || need+=(fonts-noto-color-emoji)
ls /usr/lib/postgresql/*/bin/initdb >/dev/null 2>&1 || need+=(postgresql)
if [ ${#need[@]} -eq 0 ]; then
  exit 0
fi
if [ "$(id -u)" != 0 ] || ! command -v apt-get >/dev/null 2>&1; then
  echo "missing system packages: ${need[*]} (install them as root with apt-get)" >&2
  exit 0
fi
echo "installing system packages: ${need[*]}"
apt-get update -qq
DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends "${need[@]}" fontconfig >/dev/null
