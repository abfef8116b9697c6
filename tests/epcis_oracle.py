# Copyright 2026 stock_lot_tracking contributors
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
"""The test oracle of the EPCIS event hash: ``epcis-event-hash-generator`` (the
reference implementation of the CBV 2.0 algorithm), run in its own virtualenv
(``$SLT_ORACLE_PYTHON``, made by tools/lib.sh) on the JSON-LD document.

Its last release on PyPI (1.9.3) puts ``destinationList`` before ``sourceList``:
both fall outside its table of the canonical order and are sorted by name with the
fields it does not know. The CBV and the reference implementation's own expected
pre-hash files have ``sourceList`` first. The oracle's pre-hash strings are read,
checked to be what it hashed, given this one correction, and hashed again: the rest
of the algorithm (normalisation of values, URIs, times, quantities, sorting) is the
oracle's own.
"""
import hashlib
import json
import os
import re
import subprocess
import tempfile

from ..lib import epcis

# destinationList then sourceList at the end of a pre-hash (the two lists come last:
# the writer emits no sensor data, ILMD or extensions)
LISTS_IN_NAME_ORDER = re.compile(r'(destinationList(?:(?!sourceList).)*)(sourceList.*)$')


# JSON-LD expansion of a document with the EPCIS 2.0 context GS1 publishes (a copy
# comes with the oracle): terms the context does not define are dropped
EXPAND = """
import json, sys
from pyld import jsonld
from epcis_event_hash_generator.file_document_loader import file_document_loader
jsonld.set_document_loader(file_document_loader())
with open(sys.argv[1], encoding='utf-8') as handle:
    json.dump(jsonld.expand(json.load(handle)), sys.stdout)
"""
EPCIS = 'https://ref.gs1.org/epcis/'
CBV = 'https://ref.gs1.org/cbv/'
# expanded property -> the CBV vocabulary its values must be Web URIs of
CBV_VALUES = {'bizStep': 'BizStep-', 'disposition': 'Disp-', 'bizTransactionType': 'BTT-',
              'sourceOrDestinationType': 'SDT-'}


def _oracle_run(epcis_document, *arguments):
    python = os.environ.get('SLT_ORACLE_PYTHON')
    if not python or not os.path.exists(python):
        raise AssertionError('The EPCIS hash oracle is missing: run the tests through '
                             'tools/test.sh, which prepares $SLT_ORACLE_PYTHON.')
    with tempfile.TemporaryDirectory() as folder:
        path = os.path.join(folder, 'document.jsonld')
        with open(path, 'w', encoding='utf-8') as handle:
            handle.write(epcis.dumps(epcis_document))
        return subprocess.run(
            [python] + list(arguments) + [path], stdout=subprocess.PIPE,
            stderr=subprocess.PIPE, check=True, universal_newlines=True,
            timeout=120).stdout


def context_losses(epcis_document):
    """What the EPCIS 2.0 JSON-LD context does not read in ``epcis_document``: the
    event fields it drops, and CBV values that are no CBV Web URI once expanded, as
    ``(event index, field)`` pairs; none for a valid document."""
    expanded = json.loads(_oracle_run(epcis_document, '-c', EXPAND))
    events = expanded[0][EPCIS + 'epcisBody'][0][EPCIS + 'eventList']
    losses = []
    written = epcis_document['epcisBody']['eventList']
    for index, (event, read) in enumerate(zip(written, events)):
        wanted = {'@id', '@type'} | {EPCIS + key for key in event
                                     if key not in ('type', 'eventID')}
        losses.extend((index, key) for key in sorted(wanted ^ set(read)))
        losses.extend((index, key) for key, value in _cbv_values(read)
                      if not value.startswith(CBV + CBV_VALUES[key]))
    if len(events) != len(written):
        losses.append((len(events), 'eventList'))
    return losses


def _cbv_values(node):
    """(field, IRI) of the CBV-valued fields anywhere in an expanded node."""
    if isinstance(node, list):
        for item in node:
            yield from _cbv_values(item)
    elif isinstance(node, dict):
        for key, value in node.items():
            name = key[len(EPCIS):] if key.startswith(EPCIS) else None
            if name in CBV_VALUES:
                for item in value:
                    yield name, item.get('@id', '')
            else:
                yield from _cbv_values(value)


def oracle_hashes(epcis_document):
    """The event hashes the oracle computes for ``epcis_document``, in event order."""
    output = _oracle_run(epcis_document, '-m', 'epcis_event_hash_generator', '-e', 'JSON',
                         '-p')
    hashes = [line.strip() for line in output.splitlines() if line.startswith('ni:///')]
    pre_hashes = [line.strip() for line in output.split('Pre-hash strings:', 1)[1].splitlines()
                  if line.startswith('eventType=')]
    if len(pre_hashes) != len(hashes) \
            or [_ni(pre_hash) for pre_hash in pre_hashes] != hashes:
        raise AssertionError('The oracle did not hash its pre-hash strings: %r' % output)
    return [_ni(LISTS_IN_NAME_ORDER.sub(r'\2\1', pre_hash)) for pre_hash in pre_hashes]


def _ni(pre_hash):
    return 'ni:///sha-256;%s?ver=CBV2.0' % hashlib.sha256(pre_hash.encode('utf-8')).hexdigest()
