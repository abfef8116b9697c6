"""odoo11_compat: run Odoo 11.0 on Python 3.8-3.11 (a no-op on older Pythons)."""
import os

from setuptools import setup
from setuptools.command.build_py import build_py

HERE = os.path.dirname(os.path.abspath(__file__))


class BuildWithPth(build_py):
    """Ship ``odoo11_compat.pth`` at the root of site-packages, so it loads at start-up."""

    def run(self):
        build_py.run(self)
        self.copy_file(os.path.join(HERE, 'odoo11_compat.pth'),
                       os.path.join(self.build_lib, 'odoo11_compat.pth'))


setup(
    name='odoo11-compat',
    version='1.0.0',
    description='Compatibility layer that lets Odoo 11.0 run on Python 3.8-3.11',
    packages=['odoo11_compat'],
    python_requires='>=3.5',
    cmdclass={'build_py': BuildWithPth},
)
