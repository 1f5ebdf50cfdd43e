"""The bundled scenarios, installed as the package ``capsim.scenarios``.

This file only makes the folder a package, so that ``importlib.resources`` finds the scenario
files both in a wheel and in an editable install (``pyproject.toml`` maps this folder to
``capsim.scenarios``; see ``capsim/bundled.py``). The scenarios are the ``*.yaml`` files beside it.
"""
