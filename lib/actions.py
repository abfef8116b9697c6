# Copyright 2026 stock_lot_tracking contributors
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
"""Window actions shared by the models and wizards of the addon."""


def dialog_action(record, view_xmlid, name):
    """Window action showing ``record`` in the form view ``view_xmlid`` as a dialog."""
    view = record.env.ref(view_xmlid)
    return {
        'name': name,
        'type': 'ir.actions.act_window',
        'view_type': 'form',
        'view_mode': 'form',
        'res_model': record._name,
        'views': [(view.id, 'form')],
        'view_id': view.id,
        'target': 'new',
        'res_id': record.id,
        'context': record.env.context,
    }
