# Copyright 2026 stock_lot_tracking contributors
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
"""GS1 EPCIS 2.0 documents (JSON-LD) and the EPCIS event hash of CBV 2.0.

Plain Python, no Odoo import. Events are dicts in the EPCIS 2.0 JSON-LD form, with
the Core Business Vocabulary (CBV) values in their bare form (``"bizStep":
"receiving"``), as the standard's JSON-LD context allows; :func:`document` wraps them
in an ``EPCISDocument`` and gives each its ``eventID``, the event hash of
:func:`event_hash`.

The event hash (CBV 2.0, section 8.9 "EPCIS event hash ID") is the SHA-256 of a
pre-hash string, written ``ni:///sha-256;{hex}?ver=CBV2.0`` (RFC 6920). The pre-hash
string (:func:`pre_hash`) concatenates, without separators:

- ``eventType=...``, ``eventTime=`` in UTC with milliseconds and ``Z``,
  ``eventTimeZoneOffset=...``;
- in this order ``epcList``, ``inputEPCList``, ``quantityList``, ``inputQuantityList``,
  ``outputEPCList``, ``outputQuantityList``: the list's name, then its elements
  (``epc=...``, or ``quantityElement`` + ``epcClass=...quantity=...uom=...``) sorted
  by their strings;
- ``action=``, ``transformationID=``, ``bizStep=``, ``disposition=``,
  ``readPoint`` + ``id=``, ``bizLocation`` + ``id=``;
- in this order ``bizTransactionList``, ``sourceList``, ``destinationList``: the
  list's name, then its elements, each as its type then its value
  (``type=https://ref.gs1.org/cbv/BTT-po`` + ``bizTransaction=...``), sorted by their
  strings.

Values are stripped; numbers lose trailing zeros (``5.0`` -> ``5``); bare CBV words
become their Web URIs (``https://ref.gs1.org/cbv/BizStep-receiving``); empty fields
and empty lists are left out. The writer emits only the fields above (no sensor data,
no ILMD, no user extensions), so every event it writes is hashed completely.

The order of the last three lists and of type and value within their elements is
the CBV's, as the expected pre-hash files of the reference implementation
(``epcis-event-hash-generator``, by the authors of the CBV text) give it. Its last
release on PyPI (1.9.3) still sorts the three lists by name (``destinationList``
before ``sourceList``) and keeps type and value in the order of the JSON keys;
:func:`document` writes each element type first, so that this release reads the
elements as the CBV does.
"""
import datetime
import hashlib
import json
import re

CONTEXT = 'https://ref.gs1.org/standards/epcis/2.0.0/epcis-context.jsonld'
SCHEMA_VERSION = '2.0'
CBV_VERSION = 'CBV2.0'
CBV_URI = 'https://ref.gs1.org/cbv/'
DIGITAL_LINK_DOMAIN = 'https://id.gs1.org'

# field -> CBV vocabulary of its bare values
VOCABULARIES = {
    'bizStep': 'BizStep',
    'disposition': 'Disp',
    'bizTransaction': 'BTT',
    'source': 'SDT',
    'destination': 'SDT',
}
# the CBV 2.0 words the writer uses (bare form); others are refused, so that no bare
# word escapes the context
BIZ_STEPS = ('receiving', 'shipping', 'storing', 'destroying', 'commissioning',
             'cycle_counting', 'repackaging', 'other')
DISPOSITIONS = ('in_progress', 'in_transit', 'active', 'destroyed', 'returned',
                'unknown', 'recalled')
TRANSACTION_TYPES = ('po', 'desadv', 'recadv', 'inv', 'rma', 'prodorder')
PARTY_TYPES = ('owning_party', 'possessing_party', 'location')
ACTIONS = ('ADD', 'OBSERVE', 'DELETE')
EVENT_TYPES = ('ObjectEvent', 'TransformationEvent')

EPC_LISTS = ('epcList', 'inputEPCList', 'outputEPCList')
QUANTITY_LISTS = ('quantityList', 'inputQuantityList', 'outputQuantityList')
# canonical order of the fields, as (name, kind)
CANONICAL_ORDER = (
    ('eventTime', 'time'),
    ('eventTimeZoneOffset', 'value'),
    ('epcList', 'epcs'),
    ('inputEPCList', 'epcs'),
    ('quantityList', 'quantities'),
    ('inputQuantityList', 'quantities'),
    ('outputEPCList', 'epcs'),
    ('outputQuantityList', 'quantities'),
    ('action', 'value'),
    ('transformationID', 'value'),
    ('bizStep', 'vocabulary'),
    ('disposition', 'vocabulary'),
    ('readPoint', 'place'),
    ('bizLocation', 'place'),
)
TYPED_LISTS = (('bizTransactionList', 'bizTransaction'), ('sourceList', 'source'),
               ('destinationList', 'destination'))
KNOWN_FIELDS = {'type', 'eventID'} | {name for name, _kind in CANONICAL_ORDER} \
    | {name for name, _item in TYPED_LISTS}
OFFSET = re.compile(r'^[+-](?:0\d|1[0-4]):[0-5]\d$')


class EPCISError(ValueError):
    """An event the writer cannot express; ``str(error)`` says which field."""


def format_time(moment, offset_minutes=0):
    """``moment`` (naive UTC datetime) as an EPCIS time in the local time of
    ``offset_minutes``: ``(eventTime, eventTimeZoneOffset)``."""
    offset = datetime.timedelta(minutes=offset_minutes)
    local = (moment + offset).replace(microsecond=moment.microsecond // 1000 * 1000)
    sign = '-' if offset_minutes < 0 else '+'
    hours, minutes = divmod(abs(int(offset_minutes)), 60)
    zone = '%s%02d:%02d' % (sign, hours, minutes)
    return local.strftime('%Y-%m-%dT%H:%M:%S.') + '%03d' % (local.microsecond // 1000) \
        + zone, zone


def _utc_time(value):
    """An EPCIS time string in UTC with milliseconds: ``YYYY-MM-DDTHH:MM:SS.mmmZ``."""
    match = re.match(r'^(\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2})(\.\d+)?(Z|[+-]\d{2}:\d{2})$',
                     value.strip())
    if not match:
        raise EPCISError('the time %r is not an ISO 8601 date and time with a zone' % value)
    moment = datetime.datetime.strptime(match.group(1), '%Y-%m-%dT%H:%M:%S')
    fraction = match.group(2) or '.0'
    milliseconds = int(round(float(fraction) * 1000))
    moment += datetime.timedelta(milliseconds=milliseconds)
    zone = match.group(3)
    if zone != 'Z':
        sign = -1 if zone[0] == '-' else 1
        moment -= sign * datetime.timedelta(hours=int(zone[1:3]), minutes=int(zone[4:6]))
    return moment.strftime('%Y-%m-%dT%H:%M:%S.') + '%03d' % (moment.microsecond // 1000) + 'Z'


def format_quantity(value):
    """A quantity without trailing zeros: ``5.0`` -> ``'5'``, ``2.50`` -> ``'2.5'``."""
    number = float(value)
    if number == int(number):
        return '%d' % int(number)
    return repr(number)


def _vocabulary(field, value):
    value = value.strip()
    if ':' in value:
        return value
    return '%s%s-%s' % (CBV_URI, VOCABULARIES[field], value)


def _epcs(name, values):
    return name + ''.join(sorted('epc=%s' % value.strip() for value in values))


def _quantities(name, elements):
    parts = []
    for element in elements:
        text = 'quantityElementepcClass=%s' % element['epcClass'].strip()
        if element.get('quantity') is not None:
            text += 'quantity=%s' % format_quantity(element['quantity'])
        if element.get('uom'):
            text += 'uom=%s' % element['uom'].strip()
        parts.append(text)
    return name + ''.join(sorted(parts))


def _typed_element(item, element):
    text = '%s=%s' % (item, element[item].strip())
    if element.get('type'):
        text = 'type=%s' % _vocabulary(item, element['type']) + text
    return text


def _typed_list(name, item, elements):
    return name + ''.join(sorted(_typed_element(item, element) for element in elements))


def pre_hash(event):
    """The pre-hash string of ``event`` (see the module's documentation)."""
    unknown = set(event) - KNOWN_FIELDS
    if unknown:
        raise EPCISError('the event hash of this writer does not cover the fields %s'
                         % ', '.join(sorted(unknown)))
    parts = ['eventType=%s' % event['type']]
    for name, kind in CANONICAL_ORDER:
        value = event.get(name)
        if value in (None, '', [], {}):
            continue
        if kind == 'time':
            parts.append('%s=%s' % (name, _utc_time(value)))
        elif kind == 'value':
            parts.append('%s=%s' % (name, value.strip()))
        elif kind == 'vocabulary':
            parts.append('%s=%s' % (name, _vocabulary(name, value)))
        elif kind == 'place':
            parts.append('%sid=%s' % (name, value['id'].strip()))
        elif kind == 'epcs':
            parts.append(_epcs(name, value))
        else:
            parts.append(_quantities(name, value))
    parts.extend(_typed_list(name, item, event[name])
                 for name, item in TYPED_LISTS if event.get(name))
    return ''.join(parts)


def event_hash(event):
    """The EPCIS event hash ID of ``event``: ``ni:///sha-256;{hex}?ver=CBV2.0``."""
    digest = hashlib.sha256(pre_hash(event).encode('utf-8')).hexdigest()
    return 'ni:///sha-256;%s?ver=%s' % (digest, CBV_VERSION)


def check_event(event):
    """Refuse an event this writer would not write correctly (type, action, the CBV
    words, the time zone offset)."""
    if event.get('type') not in EVENT_TYPES:
        raise EPCISError('unknown event type %r' % event.get('type'))
    if event['type'] == 'ObjectEvent' and event.get('action') not in ACTIONS:
        raise EPCISError('an ObjectEvent needs an action among %s' % ', '.join(ACTIONS))
    if not OFFSET.match(event.get('eventTimeZoneOffset') or ''):
        raise EPCISError('the time zone offset %r is not +hh:mm or -hh:mm'
                         % event.get('eventTimeZoneOffset'))
    for field, allowed in (('bizStep', BIZ_STEPS), ('disposition', DISPOSITIONS)):
        if event.get(field) and event[field] not in allowed:
            raise EPCISError('%s %r is not one of %s'
                             % (field, event[field], ', '.join(allowed)))
    for name, item in TYPED_LISTS:
        allowed = TRANSACTION_TYPES if item == 'bizTransaction' else PARTY_TYPES
        for element in event.get(name) or ():
            if element.get('type') and element['type'] not in allowed:
                raise EPCISError('%s type %r is not one of %s' % (
                    item, element['type'], ', '.join(allowed)))
    pre_hash(event)


def _typed_elements_in_order(item, elements):
    """The elements of a transaction / party list as the pre-hash orders them: sorted,
    each with its type first."""
    ordered = []
    for element in sorted(elements, key=lambda element: _typed_element(item, element)):
        first = {'type': element['type']} if element.get('type') else {}
        first.update((key, value) for key, value in element.items() if key != 'type')
        ordered.append(first)
    return ordered


def document(events, creation_date):
    """An ``EPCISDocument`` of ``events`` (dicts, in their order), each given its
    ``eventID`` (the event hash) first; ``creation_date`` a naive UTC datetime."""
    event_list = []
    for event in events:
        check_event(event)
        identified = {'type': event['type'], 'eventID': event_hash(event)}
        identified.update((key, value) for key, value in event.items() if key != 'type')
        for name, item in TYPED_LISTS:
            if identified.get(name):
                identified[name] = _typed_elements_in_order(item, identified[name])
        event_list.append(identified)
    return {
        '@context': [CONTEXT],
        'type': 'EPCISDocument',
        'schemaVersion': SCHEMA_VERSION,
        'creationDate': creation_date.strftime('%Y-%m-%dT%H:%M:%S.')
        + '%03d' % (creation_date.microsecond // 1000) + 'Z',
        'epcisBody': {'eventList': event_list},
    }


def dumps(epcis_document):
    """The document as JSON-LD text (UTF-8 characters kept, keys in their order)."""
    return json.dumps(epcis_document, ensure_ascii=False, indent=2)
