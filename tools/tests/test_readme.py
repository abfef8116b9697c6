"""README.rst is generated from tools/README_HEAD.rst and the readme/ fragments."""
import os
import subprocess
import sys

TOOLS = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))


def test_readme_is_up_to_date():
    """README.rst matches its sources: run tools/gen_readme.py after editing them."""
    assert subprocess.call([sys.executable, os.path.join(TOOLS, 'gen_readme.py'),
                            '--check']) == 0


def test_readme_starts_with_the_two_commands():
    """The first two commands of the README run the server, then the tests."""
    with open(os.path.join(os.path.dirname(TOOLS), 'README.rst')) as handle:
        commands = [line.strip() for line in handle if line.startswith('       tools/')]
    assert commands[:2] == ['tools/run.sh', 'tools/test.sh']
