#!/usr/bin/env bash
# Install vanban and the Debian tools it calls (antiword, LibreOffice Writer and Calc, Tesseract
# with Vietnamese, poppler). Usage: bash scripts/setup.sh [--dev]
set -euo pipefail
cd "$(dirname "$0")/.."

need=()
command -v antiword >/dev/null || need+=(antiword)
command -v tesseract >/dev/null || need+=(tesseract-ocr)
[ -e /usr/share/tesseract-ocr/5/tessdata/vie.traineddata ] || [ -e /usr/share/tesseract-ocr/4.00/tessdata/vie.traineddata ] || need+=(tesseract-ocr-vie)
# English too: the tests of OCR in two languages (Options.languages "vie+eng").
[ -e /usr/share/tesseract-ocr/5/tessdata/eng.traineddata ] || [ -e /usr/share/tesseract-ocr/4.00/tessdata/eng.traineddata ] || need+=(tesseract-ocr-eng)
command -v pdftoppm >/dev/null || need+=(poppler-utils)
command -v soffice >/dev/null || need+=(libreoffice-writer-nogui)
# tesserocr (below) is built on Debian's own Tesseract library: its headers and a compiler.
[ -e /usr/include/tesseract/baseapi.h ] || need+=(libtesseract-dev)
[ -e /usr/include/leptonica/allheaders.h ] || need+=(libleptonica-dev)
command -v pkg-config >/dev/null || need+=(pkg-config)
command -v g++ >/dev/null || need+=(g++)
[ -e "$(python3 -c 'import sysconfig; print(sysconfig.get_paths()["include"])')/Python.h" ] || need+=(python3-dev)
# Calc: the tests open the catalog's XLSX exports with LibreOffice.
[ -e /usr/lib/libreoffice/program/libsclo.so ] || need+=(libreoffice-calc-nogui)
if [ "${1:-}" = "--dev" ]; then
    # The review page's browser test drives Debian's chromium through its chromedriver.
    command -v chromium >/dev/null || need+=(chromium)
    command -v chromedriver >/dev/null || need+=(chromium-driver)
fi
if [ ${#need[@]} -gt 0 ]; then
    if [ "$(id -u)" = 0 ]; then SUDO=""; else SUDO="sudo"; fi
    echo "installing Debian packages: ${need[*]}" >&2
    $SUDO apt-get update -qq
    DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq --no-install-recommends "${need[@]}" >/dev/null
fi

extras=""
# The tests also cover the catalog, its exports, the spaCy export, the review service, the Dask
# engine and object storage (the catalog, spacy, serve, dask and storage extras; the dev extra
# brings the S3 server those tests start).
[ "${1:-}" = "--dev" ] && extras="[dev,catalog,spacy,serve,dask,storage]"
python3 -m pip install -q --disable-pip-version-check -e ".${extras}"
# Tesseract read inside the worker instead of one program per image (repair/tesseract.py; the
# 'tesserocr' extra): built from source so that it runs Debian's libtesseract, the library the
# tesseract program runs (the PyPI wheel bundles another Tesseract, whose readings differ; the
# pipeline would then keep running the program). Optional: without it OCR runs the program.
python3 -m pip install -q --disable-pip-version-check --no-binary tesserocr "tesserocr>=2.7,<3" \
    || echo "tesserocr could not be built: OCR will run the tesseract program" >&2
# pyenv and similar keep console scripts behind shims that must be refreshed.
command -v pyenv >/dev/null && pyenv rehash || true
