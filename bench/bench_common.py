# Copyright 2026 stock_lot_tracking contributors
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
"""What the benchmarks share (imported from the bench/ folder they run in)."""


def conclude(failures, misses, success, failure_title='CHECK FAILED:', quick=False):
    """Print the checks that failed and the targets missed; return the exit status.

    :param failures: descriptions of the results that are wrong
    :param misses: descriptions of the targets not met (informative in ``quick`` runs,
        whose sizes are too small for the targets)
    :param success: the closing line when everything holds
    """
    if failures:
        print(failure_title)
        for failure in failures:
            print('  ' + failure)
    if misses and quick:
        print('targets (for the full sizes, informative here): ' + '; '.join(misses))
        misses = []
    if misses:
        print('TARGET MISSED: ' + '; '.join(misses))
    if failures or misses:
        return 1
    print(success)
    return 0
