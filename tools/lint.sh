#!/usr/bin/env bash
# Static checks of the addon: Python 3.6 compatibility (vermin), then the lint of the OCA
# 11.0 addons template (flake8 + pylint-odoo). The tools live in a virtualenv of their own.
source "$(dirname "${BASH_SOURCE[0]}")/lib.sh"
lint_venv=$SLT_HOME/lint-venv
want=$(sha256sum "$SLT_REPO/tools/requirements-lint.txt" | cut -c1-16)
if [ "$(cat "$lint_venv/.stamp" 2>/dev/null)" != "$want" ]; then
    slt_log "preparing the lint tools in $lint_venv"
    [ -x "$lint_venv/bin/python" ] || python3 -m venv "$lint_venv"
    slt_pip "$lint_venv/bin/python" -r "$SLT_REPO/tools/requirements-lint.txt"
    echo "$want" > "$lint_venv/.stamp"
fi
# pylint-odoo reads the module's technical name from its folder: lint through the link.
mkdir -p "$SLT_ADDONS"
ln -sfn "$SLT_REPO" "$SLT_ADDONS/stock_lot_tracking"
cd "$SLT_ADDONS/stock_lot_tracking"
addon_python=(__init__.py __manifest__.py hooks.py lib models wizard report tests)
existing=()
for path in "${addon_python[@]}"; do [ -e "$path" ] && existing+=("$path"); done

slt_log "vermin: the addon and the compatibility layer must run on Python 3.6"
"$lint_venv/bin/vermin" --target=3.6- --violations --no-tips --eval-annotations \
    "${existing[@]}" tools/odoo11_compat/odoo11_compat
slt_log "flake8"
"$lint_venv/bin/flake8" .
slt_log "pylint-odoo"
"$lint_venv/bin/pylint" --rcfile=.pylintrc --disable=translation-positional-used \
    "$SLT_ADDONS/stock_lot_tracking"
slt_log "lint passed"
