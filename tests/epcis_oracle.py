# Copyright 2026 stock_lot_tracking contributors
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
"""The test oracle of the EPCIS event hash: ``epcis-event-hash-generator`` (the
reference implementation of the CBV 2.0 algorithm), run in its own virtualenv
(``$SLT_ORACLE_PYTHON``, made by tools/lib.sh) on the JSON-LD document."""
import os
import subprocess
import tempfile

from ..lib import epcis


def oracle_hashes(epcis_document):
    """The event hashes the oracle computes for ``epcis_document``, in event order."""
    python = os.environ.get('SLT_ORACLE_PYTHON')
    if not python or not os.path.exists(python):
        raise AssertionError('The EPCIS hash oracle is missing: run the tests through '
                             'tools/test.sh, which prepares $SLT_ORACLE_PYTHON.')
    with tempfile.TemporaryDirectory() as folder:
        path = os.path.join(folder, 'document.jsonld')
        with open(path, 'w', encoding='utf-8') as handle:
            handle.write(epcis.dumps(epcis_document))
        output = subprocess.run(
            [python, '-m', 'epcis_event_hash_generator', '-e', 'JSON', path],
            stdout=subprocess.PIPE, stderr=subprocess.PIPE, check=True,
            universal_newlines=True, timeout=120).stdout
    return [line.strip() for line in output.splitlines() if line.startswith('ni:///')]
