# Copyright 2026 stock_lot_tracking contributors
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
"""The EPCIS writer of lib/epcis.py, without a database."""
import datetime
import hashlib

import pytest

from ..lib import epcis
from .epcis_oracle import EPCIS, context_losses, oracle_hashes

GTIN_LOT = 'https://id.gs1.org/01/09501101530003/10/AB-1'
CREATED = datetime.datetime(2026, 3, 1, 12, 0, 0)


def shipping_event(**changes):
    event = {
        'type': 'ObjectEvent',
        'eventTime': '2026-01-05T10:30:00.250+01:00',
        'eventTimeZoneOffset': '+01:00',
        'epcList': [],
        'quantityList': [{'epcClass': GTIN_LOT, 'quantity': 5.0, 'uom': 'KGM'},
                         {'epcClass': 'https://trace.example.com/lot/7/X%2F2',
                          'quantity': 2}],
        'action': 'OBSERVE',
        'bizStep': 'shipping',
        'disposition': 'in_transit',
        'readPoint': {'id': 'https://id.gs1.org/414/9501101530003/254/12'},
        'bizTransactionList': [
            {'bizTransaction': 'https://trace.example.com/bt/so/SO001', 'type': 'po'},
            {'bizTransaction': 'https://trace.example.com/bt/inv/INV-1', 'type': 'inv'}],
        'sourceList': [{'source': 'https://id.gs1.org/417/9501101530003',
                        'type': 'owning_party'}],
        'destinationList': [{'destination': 'https://trace.example.com/party/9',
                             'type': 'owning_party'}],
    }
    event.update(changes)
    return event


def transformation_event():
    return {
        'type': 'TransformationEvent',
        'eventTime': '2026-01-04T23:59:59Z',
        'eventTimeZoneOffset': '+00:00',
        'inputQuantityList': [{'epcClass': GTIN_LOT, 'quantity': 1.5, 'uom': 'KGM'},
                              {'epcClass': 'https://trace.example.com/lot/3/B',
                               'quantity': 0.25, 'uom': 'KGM'}],
        'outputQuantityList': [{'epcClass': 'https://trace.example.com/lot/4/C',
                                'quantity': 10}],
        'bizStep': 'commissioning',
        'disposition': 'active',
        'readPoint': {'id': 'https://trace.example.com/location/8'},
        'bizLocation': {'id': 'https://trace.example.com/location/8'},
    }


def test_pre_hash_follows_the_canonical_order():
    """The pre-hash string: UTC time with milliseconds, sorted lists, CBV Web URIs,
    quantities without trailing zeros, sources before destinations, type before
    value (the CBV's order)."""
    assert epcis.pre_hash(shipping_event()) == (
        'eventType=ObjectEvent'
        'eventTime=2026-01-05T09:30:00.250Z'
        'eventTimeZoneOffset=+01:00'
        'quantityList'
        'quantityElementepcClass=https://id.gs1.org/01/09501101530003/10/AB-1'
        'quantity=5uom=KGM'
        'quantityElementepcClass=https://trace.example.com/lot/7/X%2F2quantity=2'
        'action=OBSERVE'
        'bizStep=https://ref.gs1.org/cbv/BizStep-shipping'
        'disposition=https://ref.gs1.org/cbv/Disp-in_transit'
        'readPointid=https://id.gs1.org/414/9501101530003/254/12'
        'bizTransactionList'
        'type=https://ref.gs1.org/cbv/BTT-inv'
        'bizTransaction=https://trace.example.com/bt/inv/INV-1'
        'type=https://ref.gs1.org/cbv/BTT-po'
        'bizTransaction=https://trace.example.com/bt/so/SO001'
        'sourceList'
        'type=https://ref.gs1.org/cbv/SDT-owning_party'
        'source=https://id.gs1.org/417/9501101530003'
        'destinationList'
        'type=https://ref.gs1.org/cbv/SDT-owning_party'
        'destination=https://trace.example.com/party/9')


def test_party_elements_are_sorted_type_first():
    """Elements of a party list sort by their type-then-value string; one without a
    type is its value alone."""
    event = shipping_event(sourceList=[
        {'source': 'https://id.gs1.org/417/9501101530003', 'type': 'possessing_party'},
        {'source': 'https://id.gs1.org/414/9501101530003'},
        {'source': 'https://id.gs1.org/417/9501101530003', 'type': 'location'}])
    assert epcis.pre_hash(event).split('sourceList')[1].split('destinationList')[0] == (
        'source=https://id.gs1.org/414/9501101530003'
        'type=https://ref.gs1.org/cbv/SDT-location'
        'source=https://id.gs1.org/417/9501101530003'
        'type=https://ref.gs1.org/cbv/SDT-possessing_party'
        'source=https://id.gs1.org/417/9501101530003')


def test_document_writes_party_and_transaction_elements_type_first():
    """In the document, each transaction / party element has its type first and the
    elements are in the pre-hash's order, whatever order the event gave."""
    event = shipping_event()
    written = epcis.document([event], CREATED)['epcisBody']['eventList'][0]
    assert written['bizTransactionList'] == [
        {'type': 'inv', 'bizTransaction': 'https://trace.example.com/bt/inv/INV-1'},
        {'type': 'po', 'bizTransaction': 'https://trace.example.com/bt/so/SO001'}]
    assert [list(element) for element in written['bizTransactionList']] == [
        ['type', 'bizTransaction']] * 2
    assert [list(element) for element in written['sourceList']] == [['type', 'source']]
    assert written['eventID'] == epcis.event_hash(event)
    assert epcis.event_hash(written) == written['eventID']


def test_event_hash_is_the_sha256_of_the_pre_hash():
    """The event hash is the ni URI of the SHA-256 of the pre-hash string."""
    event = transformation_event()
    digest = hashlib.sha256(epcis.pre_hash(event).encode('utf-8')).hexdigest()
    assert epcis.event_hash(event) == 'ni:///sha-256;%s?ver=CBV2.0' % digest


def test_order_of_list_elements_does_not_change_the_hash():
    """Two serialisations of the same event, lists in another order, have one hash."""
    event = shipping_event()
    reordered = shipping_event(
        quantityList=list(reversed(event['quantityList'])),
        bizTransactionList=list(reversed(event['bizTransactionList'])))
    assert epcis.event_hash(event) == epcis.event_hash(reordered)


def test_any_change_changes_the_hash():
    """Another quantity, time or step gives another hash."""
    event = shipping_event()
    for changed in (shipping_event(eventTime='2026-01-05T10:30:00.251+01:00'),
                    shipping_event(bizStep='receiving'),
                    shipping_event(quantityList=event['quantityList'][:1])):
        assert epcis.event_hash(changed) != epcis.event_hash(event)


def test_document_structure():
    """The document: the EPCIS 2.0 context, schema version, creation date in UTC,
    each event with its hash as eventID right after its type."""
    document = epcis.document([shipping_event(), transformation_event()], CREATED)
    assert document['@context'] == [
        'https://ref.gs1.org/standards/epcis/2.0.0/epcis-context.jsonld']
    assert document['type'] == 'EPCISDocument'
    assert document['schemaVersion'] == '2.0'
    assert document['creationDate'] == '2026-03-01T12:00:00.000Z'
    events = document['epcisBody']['eventList']
    assert [list(event)[:2] for event in events] == [['type', 'eventID']] * 2
    assert events[1]['eventID'] == epcis.event_hash(transformation_event())


def test_hashes_equal_the_oracle():
    """Every eventID equals the reference implementation's hash."""
    document = epcis.document([shipping_event(), transformation_event(),
                               shipping_event(bizStep='receiving', action='ADD',
                                              disposition='in_progress')], CREATED)
    assert oracle_hashes(document) == [
        event['eventID'] for event in document['epcisBody']['eventList']]


def test_document_reads_in_the_epcis_context():
    """The GS1 EPCIS 2.0 JSON-LD context reads every field of every event, and the
    bare CBV words as CBV Web URIs."""
    document = epcis.document([shipping_event(), transformation_event(),
                               shipping_event(bizStep='receiving', action='ADD',
                                              disposition='in_progress')], CREATED)
    assert context_losses(document) == []


def test_context_check_reports_what_it_drops():
    """A field the context does not define, or a CBV word it reads as another URI,
    is reported."""
    document = epcis.document([shipping_event()], CREATED)
    event = document['epcisBody']['eventList'][0]
    event['shipmentWeight'] = 12
    event['bizStep'] = 'urn:example:step:loading'
    assert context_losses(document) == [(0, EPCIS + 'shipmentWeight'), (0, 'bizStep')]


def test_format_time_gives_local_time_and_offset():
    """A UTC moment in the local time of a negative offset, with milliseconds."""
    moment = datetime.datetime(2026, 1, 1, 3, 4, 5, 678901)
    assert epcis.format_time(moment, -300) == ('2025-12-31T22:04:05.678-05:00', '-05:00')
    assert epcis.format_time(moment, 330)[1] == '+05:30'


def test_words_outside_the_vocabulary_are_refused():
    """A bizStep, disposition or party type the CBV context does not define is
    refused, with the field named."""
    with pytest.raises(epcis.EPCISError, match='bizStep'):
        epcis.document([shipping_event(bizStep='moving')], CREATED)
    with pytest.raises(epcis.EPCISError, match='destination type'):
        epcis.document([shipping_event(destinationList=[
            {'destination': 'https://x.example.com/p', 'type': 'owner'}])], CREATED)


def test_fields_outside_the_hash_are_refused():
    """A field the hash would not cover is refused rather than hashed wrongly."""
    with pytest.raises(epcis.EPCISError, match='ilmd'):
        epcis.pre_hash(shipping_event(ilmd={'lot': 'x'}))
