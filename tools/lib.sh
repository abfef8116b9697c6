# Shared set-up for tools/run.sh and tools/test.sh: sourced, never run directly.
#
# Everything lives outside the repository, under $SLT_HOME, and is reused when it is
# already there: the virtualenv (Odoo 11 + pinned libraries + the compatibility layer),
# a private PostgreSQL 15 cluster reachable only through a unix socket, the addons
# folder that links this repository as `stock_lot_tracking`, and the Odoo config file.
set -euo pipefail

SLT_REPO=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
SLT_HOME=${SLT_HOME:-${XDG_DATA_HOME:-$HOME/.local/share}/stock_lot_tracking}
SLT_VENV=${SLT_VENV:-$SLT_HOME/venv}
# One work folder per checkout (addons link, config, filestore), so several clones can
# share the virtualenv and the PostgreSQL cluster.
SLT_WORK=$SLT_HOME/work/$(printf '%s' "$SLT_REPO" | sha256sum | cut -c1-12)
SLT_ADDONS=$SLT_WORK/addons
SLT_CONF=$SLT_WORK/odoo.conf
SLT_PGPORT=${SLT_PGPORT:-5439}
SLT_PGBIN=${SLT_PGBIN:-/usr/lib/postgresql/15/bin}
if [ "$(id -u)" = 0 ]; then
    # initdb refuses root: the cluster belongs to the postgres user, in a folder it owns.
    SLT_PGROOT=${SLT_PGROOT:-/var/lib/postgresql/stock_lot_tracking}
else
    SLT_PGROOT=${SLT_PGROOT:-$SLT_HOME/postgresql}
fi
SLT_PGSOCK=$SLT_PGROOT/run
export PGHOST=$SLT_PGSOCK PGPORT=$SLT_PGPORT PGUSER=${PGUSER:-$(id -un)} PGDATABASE=postgres

slt_log() { printf '[stock_lot_tracking] %s\n' "$*" >&2; }

slt_pip() {
    # pip, quiet, without the notes about this machine's unused package mirrors.
    local python=$1; shift
    "$python" -m pip install -q --disable-pip-version-check "$@" \
        2> >(grep -v "^WARNING: Location '" >&2)
}

slt_as_pg() {
    if [ "$(id -u)" = 0 ]; then runuser -u postgres -- "$@"; else "$@"; fi
}

slt_apt_install() {
    # slt_apt_install COMMAND_OR_PATH PACKAGE...: install the Debian packages if missing.
    local probe=$1; shift
    if command -v "$probe" >/dev/null 2>&1 || [ -e "$probe" ]; then return 0; fi
    if [ "$(id -u)" != 0 ]; then
        slt_log "missing $probe: install the Debian packages $* (needs root)"; return 1
    fi
    if [ -z "${SLT_APT_UPDATED:-}" ]; then
        slt_log "apt-get update"
        DEBIAN_FRONTEND=noninteractive apt-get update -qq >/dev/null
        SLT_APT_UPDATED=1
    fi
    slt_log "installing $*"
    DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends "$@" >/dev/null
}

slt_system_packages() {
    slt_apt_install "$SLT_PGBIN/initdb" postgresql-15 postgresql-client-15
    slt_apt_install python3 python3-venv
    slt_apt_install npm nodejs npm
    slt_apt_install wkhtmltopdf wkhtmltopdf xvfb fonts-dejavu-core
    slt_apt_install chromium chromium
    slt_apt_install pdftoppm poppler-utils
    # Odoo 11 compiles the web client's .less files with lessc; Debian's node-less does
    # not run on Node 20, less 3.13 from npm does.
    if ! lessc --version 2>/dev/null | grep -q '^lessc 3\.'; then
        slt_log "installing lessc 3.13.1 from npm"
        npm install -g --silent less@3.13.1 >/dev/null
    fi
}

slt_venv() {
    local stamp want
    want=$(cat "$SLT_REPO"/tools/requirements-odoo.txt \
               "$SLT_REPO"/tools/requirements-test.txt \
               "$SLT_REPO"/tools/requirements.txt \
               "$SLT_REPO"/tools/odoo11_compat/setup.py \
               "$SLT_REPO"/tools/odoo11_compat/odoo11_compat.pth \
               "$SLT_REPO"/tools/odoo11_compat/odoo11_compat/*.py | sha256sum | cut -c1-16)
    stamp=$SLT_VENV/.stock_lot_tracking-stamp
    if [ -f "$stamp" ] && [ "$(cat "$stamp")" = "$want" ]; then return 0; fi
    slt_log "preparing the Python environment in $SLT_VENV"
    [ -x "$SLT_VENV/bin/python" ] || python3 -m venv "$SLT_VENV"
    local pip=(slt_pip "$SLT_VENV/bin/python")
    "${pip[@]}" -U pip wheel "setuptools<70"  # Odoo 11 imports pkg_resources
    # Odoo's declared dependencies include packages that no longer build (vatnumber):
    # Odoo comes without them, its libraries from the pinned list.
    "${pip[@]}" --no-deps -r "$SLT_REPO/tools/requirements-odoo.txt"
    "${pip[@]}" -r "$SLT_REPO/tools/requirements.txt" -r "$SLT_REPO/tools/requirements-test.txt"
    "${pip[@]}" --no-deps --force-reinstall "$SLT_REPO/tools/odoo11_compat"
    rm -rf "$SLT_REPO/tools/odoo11_compat/build" "$SLT_REPO"/tools/odoo11_compat/*.egg-info
    echo "$want" > "$stamp"
}

slt_oracle_venv() {
    # The test oracle of the EPCIS event hash, in a virtualenv of its own: its libraries
    # must not meet Odoo's pinned ones. Tests run it as $SLT_ORACLE_PYTHON.
    local oracle=$SLT_HOME/oracle-venv want
    want=$(sha256sum "$SLT_REPO/tools/requirements-oracle.txt" | cut -c1-16)
    if [ "$(cat "$oracle/.stamp" 2>/dev/null)" != "$want" ]; then
        slt_log "preparing the EPCIS event hash oracle in $oracle"
        [ -x "$oracle/bin/python" ] || python3 -m venv "$oracle"
        slt_pip "$oracle/bin/python" -r "$SLT_REPO/tools/requirements-oracle.txt"
        echo "$want" > "$oracle/.stamp"
    fi
    export SLT_ORACLE_PYTHON=$oracle/bin/python
}

slt_postgres() {
    local data=$SLT_PGROOT/data
    if [ ! -f "$data/PG_VERSION" ]; then
        slt_log "creating the PostgreSQL cluster in $data"
        mkdir -p "$SLT_PGROOT"
        [ "$(id -u)" = 0 ] && chown postgres: "$SLT_PGROOT"
        slt_as_pg "$SLT_PGBIN/initdb" -D "$data" -U postgres -A trust -E UTF8 --locale=C.UTF-8 >/dev/null
    fi
    slt_as_pg mkdir -p "$SLT_PGSOCK"
    if ! slt_as_pg "$SLT_PGBIN/pg_ctl" -D "$data" status >/dev/null 2>&1; then
        slt_log "starting PostgreSQL (unix socket $SLT_PGSOCK, port $SLT_PGPORT, no TCP)"
        slt_as_pg "$SLT_PGBIN/pg_ctl" -D "$data" -l "$SLT_PGROOT/postgresql.log" -w \
            -o "-c listen_addresses='' -k $SLT_PGSOCK -p $SLT_PGPORT -c fsync=off" start >/dev/null
    fi
    if ! psql -U postgres -tAc "SELECT 1 FROM pg_roles WHERE rolname = '$PGUSER'" | grep -q 1; then
        psql -U postgres -q -c "CREATE ROLE \"$PGUSER\" LOGIN SUPERUSER"
    fi
}

slt_odoo_conf() {
    local odoo_addons
    # Odoo 11 creates the sessions folder on the first request without exist_ok: two
    # concurrent first requests (the test browser's) race on it, so it is made here.
    mkdir -p "$SLT_ADDONS" "$SLT_WORK/data"
    mkdir -p -m 700 "$SLT_WORK/data/sessions"
    ln -sfn "$SLT_REPO" "$SLT_ADDONS/stock_lot_tracking"
    odoo_addons=$("$SLT_VENV/bin/python" -c 'import os, odoo.addons; print(os.path.dirname(odoo.addons.__file__))')
    cat > "$SLT_CONF" <<CONF
[options]
addons_path = $odoo_addons,$SLT_ADDONS
data_dir = $SLT_WORK/data
db_host = $SLT_PGSOCK
db_port = $SLT_PGPORT
db_user = $PGUSER
db_password = False
admin_passwd = admin
http_interface = 127.0.0.1
http_port = ${SLT_HTTP_PORT:-8069}
limit_time_cpu = 600
limit_time_real = 1200
without_demo = False
CONF
}

slt_odoo() {
    # Odoo's command line, as odoo-bin would run it.
    "$SLT_VENV/bin/python" -c 'import odoo.cli; odoo.cli.main()' "$@"
}

slt_db_has_modules() {
    # slt_db_has_modules DATABASE MODULES: the database exists and has every module of
    # MODULES (comma-separated) installed.
    local db=$1 modules=$2 count
    psql -tAc "SELECT 1 FROM pg_database WHERE datname = '$db'" | grep -q 1 || return 1
    count=$(psql -d "$db" -tAc "SELECT count(*) FROM ir_module_module
        WHERE state = 'installed' AND name = ANY(string_to_array('$modules', ','))" \
        2>/dev/null) || return 1
    [ "$count" = "$(tr ',' '\n' <<<"$modules" | wc -l)" ]
}

slt_setup() {
    slt_system_packages
    slt_venv
    slt_oracle_venv
    slt_postgres
    slt_odoo_conf
}
