"""The one packaging step pyproject.toml cannot declare: the page ships inside the ``app`` package.

``templates/`` and ``static/`` (with ``static/vendor/`` and its licences) stay at the top of the repository, as
the design card says; building a wheel copies them to ``app/templates`` and ``app/static``, where
``app.factory`` looks first.  An editable install copies nothing: the app reads them from the checkout.
The sdist carries them at the top (MANIFEST.in), so a wheel built from it gets the same copy.
"""
from pathlib import Path

from setuptools import setup
from setuptools.command.build_py import build_py

HERE = Path(__file__).resolve().parent
PAGE = ("templates", "static")  # app.factory.PAGE_FOLDERS


class BuildWithPage(build_py):
    def run(self):
        super().run()
        if getattr(self, "editable_mode", False):
            return
        for name in PAGE:
            self.copy_tree(str(HERE / name), str(Path(self.build_lib) / "app" / name))


setup(cmdclass={"build_py": BuildWithPage})
