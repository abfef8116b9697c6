# Copyright 2026 stock_lot_tracking contributors
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
from collections import OrderedDict

from odoo import _, api, fields, models
from odoo.exceptions import ValidationError
from odoo.tools import float_compare

from ..lib import gs1


class StockLocation(models.Model):
    _inherit = 'stock.location'

    single_lot = fields.Boolean(
        string='One Lot per Product',
        help="A lot-tracked product in this location holds one lot at a time: another "
             "lot of the product may enter only once the first one is fully gone. "
             "Enforced by the database, also between concurrent transactions.")
    gln = fields.Char(
        string='GLN', size=13,
        help="Global Location Number of this location (13 digits), if it has one of its "
             "own: EPCIS exports identify the location by it. Without it, the GLN of the "
             "warehouse with the location as extension, else the company's local URI.")

    @api.constrains('single_lot')
    def _check_single_lot(self):
        """Refuse to mark a location that already holds several lots of a product."""
        self.filtered('single_lot')._check_single_lot_changes()

    @api.constrains('gln')
    def _check_gln(self):
        for location in self.filtered('gln'):
            if not gs1.is_gln(location.gln):
                raise ValidationError(_(
                    'The GLN %(gln)s of location %(location)s is not a Global Location '
                    'Number: 13 digits with a valid check digit.'
                ) % {'gln': location.gln, 'location': location.display_name})

    @api.multi
    def _get_lots_in_stock(self, products=None):
        """Lots with a positive quantity in this location, by product.

        :param products: restrict to these products (all lot-tracked ones by default)
        :return: dict product -> lots recordset
        """
        self.ensure_one()
        domain = [('location_id', '=', self.id), ('quantity', '>', 0),
                  ('lot_id', '!=', False), ('product_id.tracking', '=', 'lot')]
        if products is not None:
            domain.append(('product_id', 'in', products.ids))
        result = {}
        for quant in self.env['stock.quant'].sudo().search(domain):
            result.setdefault(quant.product_id, self.env['stock.production.lot'])
            result[quant.product_id] |= quant.lot_id
        return result

    # One lot per product: the single check every path uses -----------------------------
    @api.multi
    def _get_stock_by_lot(self, products=None):
        """Positive stock of these locations: {(location, product): {lot key: quantity}}.

        The lot key is the lot's code (codes are unique per product), ``False`` for stock
        without lot. Read as superuser: the rule holds whoever may see the stock.
        """
        stock = OrderedDict()
        if not self:
            return stock
        domain = [('location_id', 'in', self.ids), ('quantity', '>', 0)]
        if products is not None:
            domain.append(('product_id', 'in', products.ids))
        quants = self.env['stock.quant'].sudo().search_read(
            domain, ['location_id', 'product_id', 'lot_id', 'quantity'], order='id')
        location_model = self.env['stock.location']
        product_model = self.env['product.product']
        for quant in quants:
            key = (location_model.browse(quant['location_id'][0]),
                   product_model.browse(quant['product_id'][0]))
            lot = quant['lot_id'] and quant['lot_id'][1] or False
            lots = stock.setdefault(key, OrderedDict())
            lots[lot] = lots.get(lot, 0.0) + quant['quantity']
        return stock

    @api.multi
    def _get_single_lot_conflicts(self, changes=None):
        """Where the single-lot locations among these would hold more than one lot of
        a lot-tracked product once ``changes`` are made.

        The same rule as the database's (stock without lot does not count), checked
        before anything is written so that the operator gets names, not an error at
        commit.

        :param changes: iterable of (location, product, lot key, quantity): ``quantity``
            (product unit) of the lot enters the location when positive, leaves it when
            negative. The lot key is the lot's code, or any other hashable value for a
            lot still to be created without code (each such value is one new lot).
            Without changes, the stock as it is is checked.
        :return: list of (location, product, [lot keys]) breaking the rule, lots in stock
            first
        """
        locations = self.filtered('single_lot')
        if changes is not None:
            changes = [change for change in changes if change[0] in locations
                       and change[1].tracking == 'lot' and change[2]]
            if not changes:
                return []
        changes = changes or []
        pairs = {(change[0], change[1]) for change in changes}
        products = self.env['product.product'].browse(
            list({change[1].id for change in changes})) if changes else None
        stock = (locations.browse(list({loc.id for loc, __ in pairs})) if changes
                 else locations)._get_stock_by_lot(products)
        for location, product, lot, quantity in changes:
            lots = stock.setdefault((location, product), OrderedDict())
            lots[lot] = lots.get(lot, 0.0) + quantity
        conflicts = []
        for (location, product), lots in stock.items():
            if changes and (location, product) not in pairs:
                continue
            held = self._get_single_lot_held(product, lots)
            if len(held) > 1:
                conflicts.append((location, product, held))
        return conflicts

    @api.model
    def _get_single_lot_held(self, product, lots):
        """The lots that count for the rule among ``lots`` ({lot key: quantity}) of
        ``product`` in a single-lot location: those with a lot and a positive quantity,
        of a product tracked by lots (serial numbers are not limited)."""
        if product.tracking != 'lot':
            return []
        rounding = product.uom_id.rounding
        return [lot for lot, quantity in lots.items() if lot and float_compare(
            quantity, 0.0, precision_rounding=rounding) > 0]

    @api.multi
    def _check_single_lot_changes(self, changes=None):
        """Refuse ``changes`` (see :meth:`_get_single_lot_conflicts`) that would put a
        second lot of a product into a single-lot location, naming location, product
        and lots."""
        conflicts = self._get_single_lot_conflicts(changes)
        if conflicts:
            raise ValidationError('\n'.join(
                self._single_lot_conflict_message(
                    location.display_name, product.display_name, lots)
                for location, product, lots in conflicts))

    @api.model
    def _single_lot_conflict_message(self, location_name, product_name, lots):
        """The operator's message for ``lots`` (keys, the one entering last) of a
        product in a single-lot location; also the message of the database's rule."""
        names = [lot if isinstance(lot, str) else _('a new lot') for lot in lots]
        return _('Location %(location)s holds one lot per product, but it would hold lots '
                 '%(lots)s of product %(product)s. Put lot %(last)s in another location, '
                 'or move the other lots out first.') % {
            'location': location_name, 'lots': ', '.join(names),
            'product': product_name, 'last': names[-1]}

    # Proposal of destinations ------------------------------------------------------------
    @api.model
    def _propose_single_lot_locations(self, requests):
        """Destinations that keep single-lot locations to one lot per product.

        Within the ``base`` location of each request, a single-lot location already
        holding the request's lot is preferred, then an empty one, then one without
        this product. Requests are served in order; a location given to one request's
        lot is not given to another lot of the same product.

        :param requests: list of dicts with ``base`` (where the product is put away),
            ``product``, ``lot`` (lot key, see :meth:`_get_single_lot_conflicts`),
            ``location`` (current destination, may be empty) and ``keep``: ``'any'``
            keeps any current destination, ``'suitable'`` keeps one that suits
        :return: list of (location, note) in the order of ``requests``; the note says
            why no suitable location was found, else it is ``False``
        """
        roots = self.browse(list({request['base'].id for request in requests}))
        candidates = self.search([
            ('id', 'child_of', roots.ids), ('single_lot', '=', True),
            ('usage', '=', 'internal')]) if roots else self
        if not candidates:
            return [(request['location'] or request['base'], False) for request in requests]
        stock = candidates._get_stock_by_lot()
        occupied = {location for location, __ in stock}
        held = {key: set(self._get_single_lot_held(key[1], lots))
                for key, lots in stock.items()}
        claims = {}  # (location, product) -> lot key given to a request

        def suits(location, request):
            """The location would hold one lot: its own, the claimed and this one."""
            key = (location, request['product'])
            lots = held.get(key, set()) | {claims.get(key, request['lot']), request['lot']}
            return len(lots) == 1

        proposals = [None] * len(requests)
        todo = []
        for index, request in enumerate(requests):
            location = request['location']
            fits = location and (not location.single_lot or suits(location, request))
            keep = request['keep'] == 'any' or request['keep'] == 'suitable' and fits
            if location and keep:
                if location.single_lot:
                    claims[(location, request['product'])] = request['lot']
                proposals[index] = (location, False)
            else:
                todo.append(index)
        for index in todo:
            request = requests[index]
            base, product, lot = request['base'], request['product'], request['lot']
            own = candidates.filtered(
                lambda loc, base=base: base.parent_left <= loc.parent_left
                and loc.parent_right <= base.parent_right)
            ranked = sorted(own, key=lambda loc, product=product, lot=lot: (
                0 if held.get((loc, product)) == {lot} else
                1 if loc not in occupied else 2, loc.parent_left))
            choice = next((loc for loc in ranked if suits(loc, request)), None)
            if choice:
                claims[(choice, product)] = lot
                proposals[index] = (choice, False)
            else:
                proposals[index] = (
                    request['location'] if base.single_lot else base,
                    _('No single-lot location under %s is free for this lot: empty one, '
                      'mark another location "One Lot per Product" or lower the '
                      'quantity.') % base.display_name)
        return proposals
