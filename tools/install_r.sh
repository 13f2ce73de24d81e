#!/usr/bin/env bash
# Install what the R side of pyanalytics needs, once:
#   1. R and the R packages it uses (ggplot2 and broom for the plots and tidiers the R package
#      offers), from Debian packages (needs root; says what to run if not);
#   2. reticulate >= 1.38 (the first to load NumPy 2) into the project-local R library RLIB:
#      from CRAN where reachable, else built from Debian trixie's source package;
#   3. rpy2 into the virtual environment VENV, pinned by the installed R's version.
# Usage: tools/install_r.sh RLIB VENV.  Safe to re-run: every step checks before it acts.
set -euo pipefail

RLIB=$(realpath -m "$1")
VENV=$(realpath -m "$2")
DEBIAN_PACKAGES="r-base-core r-base-dev r-cran-testthat r-cran-jsonlite r-cran-ttr r-cran-xts
  r-cran-rcpp r-cran-rcpptoml r-cran-here r-cran-png r-cran-rappdirs r-cran-withr r-cran-rlang
  r-cran-matrix r-cran-ggplot2 r-cran-broom"
RETICULATE_MIN=1.38
# Debian trixie's reticulate 1.41.0.1 builds against bookworm's R 4.2.2 (ENVIRONMENT.md).
RETICULATE_DEBIAN_SUITE=trixie

say() { echo "install_r: $*" >&2; }

install_debian_r() {
    local missing=""
    for pkg in $DEBIAN_PACKAGES; do
        dpkg-query -W -f='${Status}' "$pkg" 2>/dev/null | grep -q "ok installed" || missing="$missing $pkg"
    done
    [ -z "$missing" ] && return 0
    if [ "$(id -u)" != 0 ]; then
        say "R packages missing:$missing"
        say "run as root: apt-get install -y$missing   (then re-run make)"
        exit 1
    fi
    say "installing from Debian:$missing"
    apt-get update -qq
    DEBIAN_FRONTEND=noninteractive apt-get install -y -qq $missing >/dev/null
}

reticulate_ok() {
    R_LIBS_USER="$RLIB" Rscript -e "
      ok <- requireNamespace('reticulate', quietly = TRUE) &&
            packageVersion('reticulate') >= '$RETICULATE_MIN'
      quit(status = if (ok) 0 else 1)" >/dev/null 2>&1
}

reticulate_from_cran() {
    # CRAN answers at once or not at all here, so a short timeout is enough.
    R_LIBS_USER="$RLIB" timeout 300 Rscript -e "
      options(timeout = 20)
      install.packages('reticulate', lib = '$RLIB', repos = 'https://cloud.r-project.org', quiet = TRUE)
      quit(status = if (requireNamespace('reticulate', lib.loc = '$RLIB', quietly = TRUE)) 0 else 1)" \
      >/dev/null 2>&1
}

# A subshell, so its EXIT trap removes the scratch folder however it ends.
reticulate_from_debian_source() (
    scratch=$(mktemp -d)
    trap 'rm -rf "$scratch"' EXIT
    sources_dir="$scratch/sources.list.d"
    mkdir -p "$sources_dir" "$scratch/lists/partial"
    # Reuse the machine's own mirror and key rather than hard-coding a host.
    uris=$(awk '/^URIs:/ && !/security/ {print $2; exit}' /etc/apt/sources.list.d/debian.sources)
    signed_by=$(awk '/^Signed-By:/ {print $2; exit}' /etc/apt/sources.list.d/debian.sources)
    printf 'Types: deb-src\nURIs: %s\nSuites: %s\nComponents: main\nSigned-By: %s\n' \
        "$uris" "$RETICULATE_DEBIAN_SUITE" "$signed_by" >"$sources_dir/reticulate.sources"
    apt_options=(-o "Dir::State::Lists=$scratch/lists" -o Dir::Etc::SourceList=/dev/null
                       -o "Dir::Etc::SourceParts=$sources_dir")
    apt-get "${apt_options[@]}" update -qq >/dev/null
    # The .dsc download may 404 while the tarball arrives: judge by the tarball.
    (cd "$scratch" && apt-get "${apt_options[@]}" source --download-only r-cran-reticulate >/dev/null 2>&1 || true)
    tarball=$(ls "$scratch"/r-cran-reticulate_*.orig.tar.* 2>/dev/null | head -n 1)
    if [ -z "$tarball" ]; then
        say "could not download Debian's r-cran-reticulate source ($RETICULATE_DEBIAN_SUITE)"
        exit 1
    fi
    mkdir "$scratch/src"
    tar -xf "$tarball" -C "$scratch/src"
    R CMD INSTALL --no-docs --no-html -l "$RLIB" "$(dirname "$(ls -d "$scratch"/src/*/DESCRIPTION "$scratch"/src/DESCRIPTION 2>/dev/null | head -n 1)")" >/dev/null
)

install_reticulate() {
    mkdir -p "$RLIB"
    reticulate_ok && return 0
    say "installing reticulate >= $RETICULATE_MIN into $RLIB"
    reticulate_from_cran || reticulate_from_debian_source
    reticulate_ok || { say "reticulate >= $RETICULATE_MIN did not install"; exit 1; }
}

install_rpy2() {
    local r_version rpy2_spec
    r_version=$(Rscript -e 'cat(as.character(getRversion()))')
    # rpy2 3.6 needs R >= 4.5 (on R 4.2 it fails at import: "symbol 'R_getVar' not found");
    # 3.5.17 is the last release that supports older R.
    if [ "$(printf '%s\n4.5\n' "$r_version" | sort -V | head -n 1)" = 4.5 ]; then
        rpy2_spec="rpy2>=3.6,<3.7"
    else
        rpy2_spec="rpy2==3.5.17"
    fi
    "$VENV/bin/python" - "$rpy2_spec" <<'EOF' && return 0
import sys
from importlib.metadata import PackageNotFoundError, version
from packaging.requirements import Requirement
try:
    sys.exit(0 if Requirement(sys.argv[1]).specifier.contains(version("rpy2")) else 1)
except PackageNotFoundError:
    sys.exit(1)
EOF
    say "installing $rpy2_spec for R $r_version"
    "$VENV/bin/python" -m pip install --quiet --disable-pip-version-check "$rpy2_spec"
}

install_debian_r
install_reticulate
install_rpy2
