#!/usr/bin/env bash
# Installs the Debian packages the test suite needs when they are missing:
# chromium (browser tests), postgresql (the PostgreSQL run), a Java runtime (MPXJ checks, and
# Spark in the TRS agreement test: Java 17 or later, which Debian 12's default-jre-headless is),
# Pango for WeasyPrint's PDFs and poppler-utils (pdftoppm) for the document tests.
set -euo pipefail
missing=()
command -v chromium >/dev/null 2>&1 || missing+=(chromium chromium-driver)
ls /usr/lib/postgresql/*/bin/initdb >/dev/null 2>&1 || missing+=(postgresql)
command -v java >/dev/null 2>&1 || missing+=(default-jre-headless)
command -v msgfmt >/dev/null 2>&1 || missing+=(gettext)
fc-list 2>/dev/null | grep -qi dejavu || missing+=(fonts-dejavu-core)
# documents: WeasyPrint draws PDFs with Pango; the tests turn PDF pages into images with pdftoppm
dpkg -s libpango-1.0-0 libpangoft2-1.0-0 libharfbuzz-subset0 >/dev/null 2>&1 || missing+=(libpango-1.0-0 libpangoft2-1.0-0 libharfbuzz-subset0)
command -v pdftoppm >/dev/null 2>&1 || missing+=(poppler-utils)
if [ ${#missing[@]} -eq 0 ]; then exit 0; fi
echo "Installing Debian packages: ${missing[*]}"
SUDO=""
if [ "$(id -u)" -ne 0 ]; then SUDO="sudo"; fi
export DEBIAN_FRONTEND=noninteractive
$SUDO apt-get update -qq
$SUDO apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
