#!/usr/bin/env python3
"""Turn Odoo's log of a module installation or update into progress lines.

tools/run.sh runs Odoo at log level info through this filter, so that creating the
database (two to three minutes) says what it is doing instead of printing nothing:

    [stock_lot_tracking]   47 s  module 22 of 39: product (demo data)
    [stock_lot_tracking]   78 s  module 26 of 39: stock

With ``--update`` (an update of modules already installed, whose number Odoo does
not log) the lines name the modules updated without counting them:

    [stock_lot_tracking]    2 s  updating stock_lot_tracking

Warnings, errors and their tracebacks go through unchanged; the rest of the info log
is dropped. Reads standard input, writes standard error (as Odoo's log).
"""
import re
import sys
import time

PREFIX = '[stock_lot_tracking]'
RECORD = re.compile(
    r'^\d{4}-\d\d-\d\d \d\d:\d\d:\d\d,\d+ \d+ (?P<level>[A-Z]+) \S+ '
    r'(?P<logger>[\w.]+): (?P<message>.*)$')
LOADING = re.compile(r'^loading (?P<count>\d+) modules\.\.\.$')
MODULE = re.compile(r'^module (?P<module>\w+): creating or updating database tables$')
DATA_FILE = re.compile(r'^loading (?P<module>\w+)/(?P<path>\S+)$')
SHOWN_LEVELS = ('WARNING', 'ERROR', 'CRITICAL')


class Progress(object):
    """State of the filter: the modules seen, the demo data announced."""

    def __init__(self, out, update=False, clock=time.time):
        self.out = out
        self.update = update
        self.clock = clock
        self.start = clock()
        self.total = 0
        self.modules = []
        self.demo_modules = set()
        self.show_continuation = True

    def say(self, text):
        self.out.write('%s %4d s  %s\n' % (PREFIX, self.clock() - self.start, text))
        self.out.flush()

    def feed(self, line):
        """Handle one line of Odoo's output."""
        record = RECORD.match(line.rstrip('\n'))
        if not record:
            # continuation of a multi-line record (a traceback), or a plain print
            if self.show_continuation:
                self.out.write(line)
                self.out.flush()
            return
        level, logger, message = record.group('level', 'logger', 'message')
        self.show_continuation = level in SHOWN_LEVELS
        if self.show_continuation:
            self.out.write(line)
            self.out.flush()
            return
        self._progress(logger, message)

    def _progress(self, logger, message):
        if logger == 'odoo.modules.loading':
            loading = LOADING.match(message)
            if loading:
                self.total = int(loading.group('count'))
            elif message == 'init db':
                self.say('creating the database')
            elif message == 'Modules loaded.':
                self.say('%d modules loaded' % len(self.modules))
            else:
                data_file = DATA_FILE.match(message)
                if data_file and 'demo' in data_file.group('path'):
                    self._demo(data_file.group('module'))
        elif logger == 'odoo.modules.registry':
            module = MODULE.match(message)
            if module and module.group('module') not in self.modules:
                self.modules.append(module.group('module'))
                self.say(self._label(module.group('module')))

    def _demo(self, module):
        if module not in self.demo_modules:
            self.demo_modules.add(module)
            self.say('%s (demo data)' % self._label(module))

    def _label(self, module):
        """``module 5 of 43: product`` on an install, ``updating product`` on an update."""
        count = len(self.modules)
        if self.update:
            return 'updating %s' % module
        if self.total < count:
            return 'module %d: %s' % (count, module)
        return 'module %d of %d: %s' % (count, self.total, module)


def main():
    progress = Progress(sys.stderr, update='--update' in sys.argv[1:])
    for line in sys.stdin:
        progress.feed(line)
    return 0


if __name__ == '__main__':
    sys.exit(main())
