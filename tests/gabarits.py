"""Templates fail on undefined variables in tests (as les-emplois does, through Django's
`string_if_invalid`), our own templates only.

`VariableIndefinie` is the engine's `string_if_invalid` for the whole test session
(tests/conftest.py). Django calls `string_if_invalid % variable` where a variable of a template
does not resolve: in a template of the project's templates/ folder, that fails the test, naming
the variable and the template. Elsewhere (the Django admin's, crispy-forms' templates, which rely
on undefined variables being empty) it answers exactly what Django's default "" would.

Not failures, as in Django's own semantics: `{% if x %}`, `{% for a in x %}`, `{% firstof %}`
(they ask Django to ignore a failed lookup), and `{{ x|default:"…" }}`, written for a variable
that may be missing.

In another thread (the live server of the browser tests, whose WSGI handler turns any error into
a 500), the variable is also noted in `ailleurs`, which tests/conftest.py checks after each test.
"""

import os
import sys
import threading

import pytest
from django.conf import settings
from django.template.base import FilterExpression, Node
from django.template.defaultfilters import default

DOSSIER = os.path.join(settings.BASE_DIR, "templates", "")
_RESOLVE = FilterExpression.resolve.__code__
ailleurs = []


def origine(cadre):
    """The file of the innermost template node being rendered (None for a template from a
    string)."""
    while cadre is not None:
        noeud = cadre.f_locals.get("self")
        if isinstance(noeud, Node) and getattr(noeud, "origin", None) is not None:
            return noeud.origin.name
        cadre = cadre.f_back
    return None


class VariableIndefinie(str):
    """Equal to "" for Django, but Django asks it `% variable` for every failed lookup."""

    def __new__(cls):
        instance = super().__new__(cls, "")
        instance.comme_django = False
        return instance

    def __bool__(self):
        # True only where FilterExpression.resolve decides whether to call `% variable`; anywhere
        # else (a silent lookup failure in an {% if %}) it is as false as "".
        return not self.comme_django and sys._getframe(1).f_code is _RESOLVE

    def __contains__(self, texte):
        return texte == "%s"

    def __mod__(self, variable):
        appelant = sys._getframe(1)
        expression = appelant.f_locals.get("self")
        depuis_resolve = appelant.f_code is _RESOLVE
        filtres = [f for f, _ in expression.filters] if depuis_resolve else []
        fichier = origine(appelant)
        if fichier and fichier.startswith(DOSSIER) and default not in filtres:
            message = (
                f"Variable de gabarit indéfinie « {variable} » dans "
                f"{os.path.relpath(fichier, settings.BASE_DIR)}"
            )
            if threading.current_thread() is not threading.main_thread():
                ailleurs.append(message)
            # pytest's own failure (not an Exception): no view or template tag can swallow it.
            raise pytest.fail.Exception(message, pytrace=False) from None
        if not depuis_resolve:
            return ""  # {% blocktranslate %}: "" as Django's default
        # What Django's default would give: the filters applied to "".
        self.comme_django = True
        try:
            return expression.resolve(appelant.f_locals["context"])
        finally:
            self.comme_django = False
