#!/usr/bin/env python3
"""Write README.rst: the quick start of tools/README_HEAD.rst, then the readme/ fragments.

OCA addons generate their README.rst from readme/*.rst; this does the same with the
project's quick start first. Run it after editing a fragment; a test checks it was run.
"""
import os
import sys

REPO = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
SECTIONS = (
    ('DESCRIPTION.rst', 'Description', '='),
    ('CONFIGURE.rst', 'Configuration', '='),
    ('USAGE.rst', 'Usage', '='),
    ('ROADMAP.rst', 'Known issues / Roadmap', '='),
    ('CONTRIBUTORS.rst', 'Contributors', '~'),
)


def build():
    with open(os.path.join(REPO, 'tools', 'README_HEAD.rst')) as handle:
        parts = [handle.read().rstrip('\n')]
    for filename, title, underline in SECTIONS:
        path = os.path.join(REPO, 'readme', filename)
        if not os.path.exists(path):
            continue
        if underline == '~':
            parts.append('Credits\n=======')
        with open(path) as handle:
            parts.append('%s\n%s\n\n%s' % (title, underline * len(title),
                                           handle.read().strip('\n')))
    return '\n\n'.join(parts) + '\n'


def main():
    content = build()
    target = os.path.join(REPO, 'README.rst')
    if '--check' in sys.argv:
        with open(target) as handle:
            return 0 if handle.read() == content else 1
    with open(target, 'w') as handle:
        handle.write(content)
    return 0


if __name__ == '__main__':
    sys.exit(main())
